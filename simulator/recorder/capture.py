"""What the person does in the recording browser, as the page sees it.

An init script (every document of the context, before its own scripts) listens in the capture phase,
ahead of the page's own handlers: clicks on buttons, links, check boxes; text typed into fields (sent
when the field changes or just before the click that submits it); and each new document with how it
was reached (a typed address, a reload, back/forward) and what it shows. Everything goes to Python
through one binding (`expose_binding`); the Python side only queues it, and the recorder reads the
queue between Playwright calls, so the order of what was done is kept.

Clicks on the recorder's own panel come from inside its closed shadow root: the page sees them on the
panel's host element only, and skips them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext

from ..hosts import Hosts

BINDING = "__sferumRecord"
STATE_BINDING = "__sferumRecordState"
PANEL_HOST = "sferum-recorder"
CONSOLE = "/_sim"  # the simulator's console: a trainer's tool, not part of the scenario

# What the page shows, read the same way from a new document and from a live one (see proposing.py).
OBSERVE = r"""
() => {
  const visible = el => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
  const text = s => (s || "").replace(/\s+/g, " ").trim();
  const dialog = [...document.querySelectorAll("[role=dialog], dialog[open]")].find(visible);
  const screenEl = document.querySelector("[data-screen]");
  const heading = [...(dialog || document).querySelectorAll("h1, h2, [role=heading]")].find(visible);
  const main = dialog || screenEl || document.body;
  const testids = {}, rows = {}, lines = {};
  // A row's cells are the texts of its parts (a chat's title and caption); a row of plain text is one cell.
  const cells = row => {
    const own = [...row.childNodes].some(node => node.nodeType === Node.TEXT_NODE && node.textContent.trim());
    const parts = own ? [] : [...row.children].filter(visible).map(part => text(part.innerText)).filter(Boolean);
    return parts.length ? parts : [text(row.innerText)];
  };
  for (const el of document.querySelectorAll("[data-testid]")) {
    const id = el.getAttribute("data-testid");
    if (!visible(el)) continue;
    if (!(id in testids)) {
      testids[id] = text(el.innerText);
      lines[id] = el.innerText.split("\n").map(text).filter(Boolean);
    }
    // What a step's data table is read from: a list's items, or each element with the testid.
    const items = el.matches("ul, ol") ? [...el.children].filter(item => item.localName === "li" && visible(item)) : [el];
    (rows[id] = rows[id] || []).push(...items.map(cells));
  }
  return {
    url: location.href,
    screen: screenEl ? screenEl.getAttribute("data-screen") : null,
    // A heading with a control inside («← Информация о себе») is not named by its text alone.
    heading: heading && !heading.querySelector("a, button, [aria-label]") ? text(heading.innerText) : null,
    notices: [...document.querySelectorAll("[role=status]")].filter(visible).map(e => text(e.innerText)),
    alerts: [...document.querySelectorAll("[role=alert]")].filter(visible).map(e => text(e.innerText)),
    text: document.body ? document.body.innerText : "",
    buttons: main ? [...main.querySelectorAll("button, input[type=submit]")].filter(visible)
      .map(e => text(e.innerText || e.value)) : [],
    testids,
    rows,
    lines,
    // Elements marked as the person's own (a call's own tile, aria-current=true), by their testid.
    current: [...document.querySelectorAll("[data-testid][aria-current=true]")].filter(visible)
      .map(e => e.getAttribute("data-testid")),
    // What each field marked invalid holds now, by its label: «поле «Имя» показывает «…» как обычный текст».
    fieldValues: [...document.querySelectorAll("[aria-invalid=true]")].filter(visible).map(el =>
      [el.labels && el.labels[0] ? text(el.labels[0].innerText) : text(el.getAttribute("aria-label")), el.value || ""]),
    live: window.simLive ? window.simLive.refreshes : 0,
    // A field marked invalid, with the error it is described by: «у поля «Код подтверждения» ошибка «…»».
    fieldErrors: [...document.querySelectorAll("[aria-invalid=true][aria-describedby]")].filter(visible).map(el => {
      const label = el.labels && el.labels[0] ? text(el.labels[0].innerText) : text(el.getAttribute("aria-label"));
      const error = document.getElementById(el.getAttribute("aria-describedby").split(/\s+/)[0]);
      return [label, error ? text(error.innerText) : ""];
    }).filter(([label, error]) => label && error),
  };
}
"""

SCRIPT = (
    r"""
(() => {
  if (window.__sferumCapture) return;
  window.__sferumCapture = true;
  const OBSERVE = """
    + OBSERVE
    + r""";
  const send = payload => { try { window.__sferumRecord(payload); } catch (e) { /* the page is going away */ } };
  const text = s => (s || "").replace(/\s+/g, " ").trim();
  const ours = e => e.target instanceof Element && e.target.localName === "sferum-recorder";
  const place = () => {
    const s = document.querySelector("[data-screen]");
    return {url: location.href, screen: s ? s.getAttribute("data-screen") : null};
  };
  function accessibleName(el) {
    const by = el.getAttribute("aria-labelledby");
    if (by) return text(by.split(/\s+/).map(id => (document.getElementById(id) || {}).innerText || "").join(" "));
    return text(el.getAttribute("aria-label")) || text(el.innerText) || text(el.value) || text(el.getAttribute("title"));
  }
  function fieldLabel(el) {
    const own = el.labels && el.labels[0] ? text(el.labels[0].innerText) : "";
    return own || text(el.getAttribute("aria-label")) || text(el.getAttribute("placeholder")) || el.name || "";
  }
  function within(el) {
    const area = el.parentElement && el.parentElement.closest("nav[aria-label], [role=navigation][aria-label], [role=tablist][aria-label]");
    return area ? text(area.getAttribute("aria-label")) : null;
  }
  const CLICKABLE = "a[href], button, input[type=submit], input[type=button], [role=button], [role=link], [role=tab]";
  const FIELDS = "input:not([type=checkbox]):not([type=radio]):not([type=submit]):not([type=button]), textarea, select";
  const pending = new Set();  // fields typed into and not yet sent
  function typed(el) {
    if (el.type === "file") {  // a file chosen: its name, as the person's computer names it, and its type
      const files = [...el.files];
      return {kind: "fill", label: fieldLabel(el), value: files.map(f => f.name).join(", "), secret: false,
              control: "file", chosen: files.length ? files[0].type : "", size: files.length ? files[0].size : null,
              ...place()};
    }
    const chosen = el.localName === "select" && el.selectedOptions[0] ? text(el.selectedOptions[0].label) : "";
    return {kind: "fill", label: fieldLabel(el), value: el.value, secret: el.type === "password",
            control: el.localName === "select" ? "select" : "text", chosen, ...place()};
  }
  function flush() { for (const el of pending) send(typed(el)); pending.clear(); }
  addEventListener("input", e => {
    if (!ours(e) && e.target instanceof Element && e.target.matches(FIELDS)) pending.add(e.target);
  }, true);
  addEventListener("change", e => {
    if (ours(e) || !(e.target instanceof Element) || !e.target.matches(FIELDS)) return;
    pending.delete(e.target);
    send(typed(e.target));
  }, true);
  addEventListener("click", e => {
    if (ours(e) || !(e.target instanceof Element)) return;
    const box = e.target.closest("input[type=checkbox], input[type=radio]");
    const el = box || e.target.closest(CLICKABLE);
    if (!el) return;
    flush();
    let role = el.getAttribute("role") || (box ? box.type : el.matches("a[href]") ? "link" : "button");
    const href = el.getAttribute("href");
    const submits = !!el.form && (el.type === "submit" || (el.localName === "button" && !el.getAttribute("type")));
    const navigates = role === "link" ? !!href && !href.startsWith("#") && el.target !== "_blank" : submits;
    send({kind: "click", role, label: box ? fieldLabel(box) : accessibleName(el), within: within(el), navigates, ...place()});
  }, true);
  addEventListener("submit", () => flush(), true);
  function loaded() {
    const entry = performance.getEntriesByType("navigation")[0];
    send({kind: "load", how: entry ? entry.type : "navigate", referrer: document.referrer, shown: OBSERVE(),
          redirected: !!entry && entry.redirectCount > 0, ...place()});
  }
  if (window.top === window) {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", loaded); else loaded();
    // Back or forward to a page kept whole in the browser's cache: no new document, the page is shown again.
    addEventListener("pageshow", e => {
      if (e.persisted) send({kind: "load", how: "back_forward", referrer: document.referrer, shown: OBSERVE(), ...place()});
    });
  }
})();
"""
)


@dataclass(frozen=True)
class Place:
    """Where an action was done: the page's address, its platform and its screen (`data-screen`)."""

    url: str
    platform: str | None
    screen: str | None

    @property
    def path(self) -> str:
        return urlsplit(self.url).path or "/"


@dataclass(frozen=True)
class Clicked:
    role: str  # button | link | checkbox | radio | tab …
    label: str
    within: str | None  # the named navigation landmark around it
    navigates: bool  # a link or a submit button: a new document follows
    place: Place


@dataclass(frozen=True)
class Typed:
    label: str
    value: str
    secret: bool
    control: str  # text | select | file
    place: Place
    # A select's chosen option as the person reads it («Педагог»), its value being `value`; a file's type (image/png),
    # its name being `value`.
    chosen: str = ""
    size: int | None = None  # a file's, in bytes


@dataclass(frozen=True)
class Opened:
    """An address opened by hand (or by the recorder at the start): a document no click led to."""

    place: Place
    redirected: bool = False  # the address sent the browser on to this one (МАХ's «/» to «Вход в МАХ»)


@dataclass(frozen=True)
class Reloaded:
    place: Place


@dataclass(frozen=True)
class WentBack:
    """Back or forward in the browser's history."""

    place: Place


@dataclass(frozen=True)
class Switched:
    """A fault switched on or off on the control plane (the console), seen in the event log."""

    fault: str
    on: bool


@dataclass(frozen=True)
class Waited:
    """The simulator's clock moved on by this many seconds: in the console, or a countdown waited out."""

    seconds: int


Raw = Clicked | Typed | Opened | Reloaded | WentBack | Switched | Waited


@dataclass(frozen=True)
class Loaded:
    """A new document: how it was reached and what it shows."""

    how: str  # navigate | reload | back_forward
    referrer: str
    shown: dict[str, Any]
    place: Place
    redirected: bool = False


@dataclass(frozen=True)
class Command:
    """A button of the recorder's panel: undo, check or finish."""

    name: str


Captured = Clicked | Typed | Loaded | Command


@dataclass
class Capture:
    """The queue the page fills; `install` wires it to a context before its first page opens."""

    hosts: Hosts
    queue: list[Captured] = field(default_factory=list)

    def install(self, context: BrowserContext, state: Callable[[], dict[str, Any]], *scripts: str) -> None:
        context.expose_binding(BINDING, lambda _source, payload: self.take(payload))
        context.expose_binding(STATE_BINDING, lambda _source: state())
        context.add_init_script(SCRIPT)
        for script in scripts:
            context.add_init_script(script)

    def take(self, payload: Any) -> None:
        if isinstance(payload, dict) and (captured := self.parse(payload)) is not None:
            self.queue.append(captured)

    def parse(self, payload: dict[str, Any]) -> Captured | None:
        kind = payload.get("kind")
        if kind == "panel":
            return Command(str(payload.get("command", "")))
        url = str(payload.get("url", ""))
        if urlsplit(url).scheme not in ("http", "https") or urlsplit(url).path.startswith(CONSOLE):
            return None  # the blank page a new window starts on; the simulator's console
        place = Place(url, self.hosts.platform_of(urlsplit(url).netloc), payload.get("screen"))
        if kind == "click":
            label = str(payload.get("label", ""))
            return Clicked(
                str(payload.get("role")), label, payload.get("within"), bool(payload.get("navigates")), place
            )
        if kind == "fill":
            value = str(payload.get("value", ""))
            label, control = str(payload.get("label", "")), str(payload["control"])
            size = payload.get("size")
            chosen = str(payload.get("chosen", ""))
            return Typed(
                label,
                value,
                bool(payload.get("secret")),
                control,
                place,
                chosen,
                size if isinstance(size, int) else None,
            )
        if kind == "load":
            shown = payload.get("shown")
            how, referrer = str(payload.get("how")), str(payload.get("referrer", ""))
            return Loaded(how, referrer, shown or {}, place, bool(payload.get("redirected")))
        return None

    def take_all(self) -> list[Captured]:
        taken, self.queue = self.queue, []
        return taken
