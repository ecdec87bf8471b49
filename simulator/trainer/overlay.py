"""What the trainer draws on a page: the step's caption and outlines around the elements used.

Everything lives in a closed shadow root attached to <html>, outside <body>: Playwright's locators
and `inner_text()` do not see into closed shadow roots, so a caption that repeats «Продолжить» can
never satisfy or break a step's own `get_by_text(...)`, and the host lets every click through
(`pointer-events: none`). Outlines are boxes drawn over the elements, not styles on them, so the
page's own markup is never touched.
"""

from __future__ import annotations

import json
import weakref
from typing import Any

from playwright.sync_api import BrowserContext, Error, Locator, Page

# Idempotent: run as an init script of each context (every new document gets it before its own
# scripts) and again with page.evaluate() on a document that was loaded before the trainer started.
SCRIPT = r"""
(() => {
  if (window.__sferumTrainer) return;
  // The caption is a window global so that init scripts added later (one a step) set it first.
  let host = null, root = null, bar = null;
  let outlined = [];  // [{el, current}]
  const css = `
    .bar { position: fixed; left: 12px; right: 12px; bottom: 12px; padding: 12px 16px; border-radius: 10px;
           background: rgba(17, 24, 39, .92); color: #fff; font: 600 17px/1.35 system-ui, sans-serif;
           box-shadow: 0 6px 24px rgba(0,0,0,.35); }
    .bar.top { top: 12px; bottom: auto; }
    .bar:empty, .bar.off { display: none; }
    .box { position: fixed; border: 3px solid #e11d48; border-radius: 6px; box-shadow: 0 0 0 4px rgba(225,29,72,.25); }
    .box.earlier { border: 2px dashed #f97316; box-shadow: none; }`;
  function mount() {
    if (host && host.isConnected) return true;
    if (!document.documentElement) return false;
    host = document.createElement("sferum-trainer");
    host.style.cssText = "position:fixed;inset:0;pointer-events:none;z-index:2147483647;display:block";
    root = host.attachShadow({mode: "closed"});
    root.innerHTML = `<style>${css}</style><div class="boxes"></div><div class="bar"></div>`;
    bar = root.querySelector(".bar");
    document.documentElement.appendChild(host);
    return true;
  }
  function render() {
    if (!mount()) return;
    const boxes = root.querySelector(".boxes");
    boxes.textContent = "";
    outlined = outlined.filter(o => o.el.isConnected);
    let low = false;
    for (const o of outlined) {
      const r = o.el.getBoundingClientRect();
      if (!r.width && !r.height) continue;
      const box = document.createElement("div");
      box.className = o.current ? "box" : "box earlier";
      Object.assign(box.style, {left: `${r.left - 4}px`, top: `${r.top - 4}px`, width: `${r.width + 8}px`, height: `${r.height + 8}px`});
      boxes.appendChild(box);
      if (r.bottom > innerHeight * 0.7) low = true;
    }
    bar.textContent = window.__sferumTrainerCaption || "";
    bar.classList.toggle("off", !window.__sferumTrainerShow);
    bar.classList.toggle("top", low);  // never hide the element being used under the caption
  }
  function label(el) {  // what the user reads on it: a field by its label, a button by its text
    const own = el.labels && el.labels[0] ? el.labels[0].innerText.trim() : "";
    return own || el.getAttribute("aria-label") || (el.innerText || "").trim() || el.placeholder || el.value || "";
  }
  window.__sferumTrainer = {
    caption(text, show) { window.__sferumTrainerCaption = text; window.__sferumTrainerShow = show; render(); },
    outline(els, keep) {
      outlined = (keep ? outlined.map(o => ({el: o.el, current: false})) : []).concat(els.map(el => ({el, current: true})));
      render();
      return els.map(label);
    },
    clear() { outlined = []; render(); },
    state() {
      render();
      const shown = outlined.filter(o => o.el.isConnected);
      return {caption: bar && !bar.classList.contains("off") ? bar.textContent : "",
              outlined: shown.map(o => label(o.el)), boxes: root.querySelectorAll(".box").length};
    },
  };
  addEventListener("scroll", () => requestAnimationFrame(render), true);
  addEventListener("resize", () => requestAnimationFrame(render));
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", render); else render();
})();
"""


_captions: weakref.WeakKeyDictionary[BrowserContext, str] = weakref.WeakKeyDictionary()  # each context's last


def install(context: BrowserContext, caption: str) -> None:
    """Every later document of the context starts with the overlay showing this caption.

    A step's actions often navigate (a click that submits a form, a redirect to VK ID): the caption
    must be on the new document from its first paint. Init scripts cannot be removed, so each
    caption adds a one-line script; they run in order and the last one wins. A scenario has tens
    of steps, so the list stays short.
    """
    if _captions.get(context) == caption:
        return
    context.add_init_script(
        f"window.__sferumTrainerCaption = {json.dumps(caption)}; window.__sferumTrainerShow = true;"
    )
    if context not in _captions:
        context.add_init_script(SCRIPT)
    _captions[context] = caption


def _call(page: Page, expression: str, arg: Any = None) -> Any:
    """Run on the current document; a document being replaced gets the overlay from its init script."""
    try:
        page.evaluate(SCRIPT)
        return page.evaluate(expression, arg)
    except Error:
        return None


def show_caption(page: Page, caption: str, show: bool) -> None:
    _call(page, "([text, show]) => window.__sferumTrainer.caption(text, show)", [caption, show])


def clear(page: Page) -> None:
    _call(page, "() => window.__sferumTrainer.clear()")


def outline(locator: Locator, *, keep: bool, every: bool = False) -> list[str]:
    """Outline the locator's element (or, with `every`, all its visible matches); their labels."""
    try:
        locator.page.evaluate(SCRIPT)
        if every:
            labels = locator.evaluate_all(
                "(els, keep) => window.__sferumTrainer.outline(els.filter(e => e.getClientRects().length), keep)", keep
            )
        else:
            labels = locator.evaluate("(el, keep) => window.__sferumTrainer.outline([el], keep)", keep)
    except Error:
        return []
    return [str(label) for label in labels]


def state(page: Page) -> dict[str, Any]:
    """What the overlay shows now: the caption's text, the outlined elements' labels, the boxes drawn."""
    return _call(page, "() => window.__sferumTrainer.state()") or {"caption": "", "outlined": [], "boxes": 0}
