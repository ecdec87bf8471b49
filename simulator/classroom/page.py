"""What a page showed, read on the server from the HTML a seat was sent: the recorder's `Shown`.

The recorder reads a page in the browser (capture.OBSERVE); the classroom has no access to trainees'
browsers, only to what the simulator answered them. The same things are read from the HTML: the
screen's name (`data-screen`), the heading (an open dialog's first), notices (`role=status`), alerts
(`role=alert`), the text, the buttons and the `data-testid` texts. Elements marked `hidden` are not shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

from ..recorder.proposing import Shown

VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})
SILENT = frozenset({"script", "style", "template", "head", "title"})


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = field(default_factory=list)

    def text(self) -> str:
        parts: list[str] = []
        for child in self.children:
            if isinstance(child, str):
                parts.append(child)
            elif child.tag not in SILENT and "hidden" not in child.attrs:
                parts.append(child.text() + ("\n" if child.tag in ("p", "div", "li", "h1", "h2", "h3", "br") else " "))
        return "".join(parts)

    def walk(self) -> list[Node]:
        """Every visible element below, in document order."""
        found: list[Node] = []
        for child in self.children:
            if isinstance(child, Node) and "hidden" not in child.attrs and child.tag not in SILENT:
                found.append(child)
                found.extend(child.walk())
        return found


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def _clean(text: str) -> str:
    return " ".join(text.split())


def read(html: str, platform: str | None) -> Shown:
    builder = _Builder()
    builder.feed(html)
    builder.close()
    elements = builder.root.walk()
    dialog = next(
        (e for e in elements if e.attrs.get("role") == "dialog" or (e.tag == "dialog" and "open" in e.attrs)), None
    )
    screen_root = next((e for e in elements if "data-screen" in e.attrs), None)
    scope = dialog.walk() if dialog is not None else elements
    heading_node = next((e for e in scope if e.tag in ("h1", "h2") or e.attrs.get("role") == "heading"), None)
    heading = None
    if heading_node is not None and not any(
        e.tag in ("a", "button") or "aria-label" in e.attrs for e in heading_node.walk()
    ):
        heading = _clean(heading_node.text()) or None
    main = dialog or screen_root
    buttons = tuple(
        _clean(e.text() or e.attrs.get("value", ""))
        for e in (main.walk() if main is not None else elements)
        if e.tag == "button" or (e.tag == "input" and e.attrs.get("type") == "submit")
    )
    testids: dict[str, str] = {}
    for element in elements:
        testid = element.attrs.get("data-testid")
        if testid and testid not in testids:
            testids[testid] = _clean(element.text())
    body = "\n".join(line for line in (_clean(x) for x in builder.root.text().split("\n")) if line)
    return Shown(
        platform,
        screen=screen_root.attrs["data-screen"] if screen_root is not None else None,
        heading=heading,
        notices=tuple(t for e in elements if e.attrs.get("role") == "status" and (t := _clean(e.text()))),
        alerts=tuple(t for e in elements if e.attrs.get("role") == "alert" and (t := _clean(e.text()))),
        text=body,
        buttons=buttons,
        testids=testids,
    )
