"""The live panel in the recording browser: the Gherkin written so far and the recorder's buttons.

Like the trainer's overlay (simulator/trainer/overlay.py) it lives in a closed shadow root attached
to <html>, outside <body>: the page's own scripts and Playwright's locators never see into it, and
the page text a «Тогда» step reads never includes it. Its buttons send commands through the capture
binding; after each change the recorder pushes the new state (`show`), and a new document asks for
it (the state binding), so the panel survives every navigation.

«Добавить проверку» adds the first check proposed; a click on a proposal adds that one. «Открыть окно: …»
opens a browser window for another person of the world (the administrator, the class teacher), whose panel
then says who they are; every window's panel shows the same scenario.
`window.__sferumRecorder.state()` tells what the panel shows and where its buttons are, so a test can
read the panel and click its buttons with the mouse, as a person does.
"""

from __future__ import annotations

import contextlib
from typing import Any

from playwright.sync_api import Error, Page

SCRIPT = r"""
(() => {
  if (window.top !== window || window.__sferumRecorder) return;
  let host = null, root = null;
  let state = {text: "", proposals: [], failing: [], who: [], codes: [], note: "", people: [], windows: []};
  const css = `
    .panel { position: fixed; right: 12px; bottom: 12px; width: 400px; max-height: 70vh; display: flex;
             flex-direction: column; gap: 6px; padding: 10px 12px; border-radius: 10px; background: #111827f0;
             color: #f9fafb; font: 13px/1.35 system-ui, sans-serif; box-shadow: 0 6px 24px rgba(0,0,0,.35); }
    .panel.folded .body, .panel.folded .buttons { display: none; }
    .body { display: flex; flex-direction: column; gap: 6px; overflow: auto; min-height: 0; }
    h2 { margin: 0; font-size: 14px; display: flex; justify-content: space-between; align-items: center; }
    .who, .codes, .note { color: #d1d5db; font-size: 12px; white-space: pre-line; }
    .note:empty, .codes:empty { display: none; }
    pre { margin: 0; padding: 6px; background: #030712; border-radius: 6px; overflow: auto; max-height: 26vh;
          white-space: pre-wrap; font: 12px/1.4 ui-monospace, monospace; }
    .proposals { color: #a7f3d0; font-size: 12px; display: flex; flex-direction: column; gap: 3px; }
    .proposals button.proposal { background: #064e3b; color: #d1fae5; font-weight: 400; text-align: left; }
    .proposals:empty, .failing:empty, .people:empty { display: none; }
    .people { display: flex; gap: 6px; flex-wrap: wrap; align-items: center; color: #d1d5db; font-size: 12px; }
    .people button.person { background: #374151; }
    .failing { color: #fca5a5; font-size: 12px; display: flex; flex-direction: column; gap: 3px; }
    .buttons { display: flex; gap: 6px; flex-wrap: wrap; }
    button { font: 600 12px system-ui, sans-serif; padding: 6px 8px; border-radius: 6px; border: 0;
             background: #2563eb; color: #fff; cursor: pointer; }
    button:disabled { background: #4b5563; cursor: default; }
    button.fold { background: transparent; padding: 0 4px; }
    /* A phone's screen (the app «Моя школа Журнал»): the panel is a strip along the bottom, without the text
       written so far (its lines are on a computer's panel and in the file), and the page keeps clear of it. */
    @media (max-width: 600px) {
      .panel { left: 6px; right: 6px; bottom: 6px; width: auto; max-height: 32vh; padding: 6px 8px; gap: 4px; }
      pre { display: none; }
    }`;
  function mount() {
    if (host && host.isConnected) return true;
    if (!document.documentElement) return false;
    host = document.createElement("sferum-recorder");
    host.style.cssText = "position:fixed;z-index:2147483647;display:block";
    root = host.attachShadow({mode: "closed"});
    root.innerHTML = `<style>${css}</style><section class="panel" aria-label="Запись сценария">
      <h2>Запись сценария <button class="fold" title="Свернуть">—</button></h2>
      <div class="buttons">
        <button data-command="undo">Отменить последний шаг</button>
        <button data-command="check">Добавить проверку</button>
        <button data-command="finish">Готово</button>
      </div>
      <div class="body">
        <div class="proposals"></div><div class="failing"></div><div class="note"></div><div class="who"></div><div class="people"></div><div class="codes"></div><pre></pre>
      </div></section>`;
    root.addEventListener("click", e => {
      const fold = e.target.closest(".fold");
      if (fold) { root.querySelector(".panel").classList.toggle("folded"); return; }
      const button = e.target.closest("button[data-command]");
      if (button && !button.disabled) window.__sferumRecord({kind: "panel", command: button.dataset.command});
    });
    document.documentElement.appendChild(host);
    // The page keeps clear of the panel's column where the window is wide enough: a button the page puts at its
    // right edge (VK Мессенджер's «Отправить») stays where a person can click it.
    if (innerWidth >= 1000) document.documentElement.style.paddingRight = "424px";
    else if (innerWidth <= 600) document.documentElement.style.paddingBottom = "34vh";
    return true;
  }
  function render() {
    if (!mount()) return;
    root.querySelector(".who").textContent = state.who.join("\n");
    root.querySelector(".codes").textContent = state.codes.join("\n");
    const pre = root.querySelector("pre");
    pre.textContent = state.text;
    pre.scrollTop = pre.scrollHeight;
    const proposals = root.querySelector(".proposals");
    proposals.textContent = "";
    if (state.proposals.length) {
      const title = document.createElement("div");
      title.textContent = "Проверки, которые можно добавить (щелчок — добавить эту):";
      proposals.appendChild(title);
    }
    state.proposals.forEach((text, i) => {
      const item = document.createElement("button");
      item.className = "proposal";
      item.dataset.command = `check:${i}`;
      item.textContent = text;
      const under = (state.attached || [])[i];
      if (under) {  // the table or doc string the check takes, as it will be written under it
        const table = document.createElement("pre");
        table.textContent = under;
        item.appendChild(table);
      }
      proposals.appendChild(item);
    });
    const failing = root.querySelector(".failing");
    failing.textContent = "";
    if ((state.failing || []).length) {
      const title = document.createElement("div");
      title.textContent = "Проверки, которые сейчас не выполняются (не добавляются):";
      failing.appendChild(title);
    }
    (state.failing || []).forEach(text => {
      const item = document.createElement("div");
      item.className = "failed";
      item.textContent = "✗ " + text;
      failing.appendChild(item);
    });
    const people = root.querySelector(".people");
    people.textContent = "";
    if ((state.windows || []).length) {
      const open = document.createElement("span");
      open.textContent = "Окна: " + state.windows.join(", ");
      people.appendChild(open);
    }
    (state.people || []).forEach(word => {
      const item = document.createElement("button");
      item.className = "person";
      item.dataset.command = `person:${word}`;
      item.textContent = `Открыть окно: ${word}`;
      people.appendChild(item);
    });
    root.querySelector(".note").textContent = state.note || "";
    root.querySelector("[data-command=check]").disabled = !state.proposals.length;
    root.querySelector("[data-command=undo]").disabled = !state.undoable;
  }
  window.__sferumRecorder = {
    show(next) { state = next; render(); },
    state() {
      render();
      const centre = name => {
        const button = root.querySelector(`[data-command="${name}"]`);
        const r = button.getBoundingClientRect();
        return {x: r.left + r.width / 2, y: r.top + r.height / 2, enabled: !button.disabled};
      };
      return {text: root.querySelector("pre").textContent, proposals: state.proposals, who: state.who,
              attached: state.attached || [],
              failing: [...root.querySelectorAll(".failing .failed")].map(e => e.textContent),
              codes: state.codes, note: state.note,
              buttons: {undo: centre("undo"), check: centre("check"), finish: centre("finish"),
                        ...Object.fromEntries(state.proposals.map((_, i) => [`check:${i}`, centre(`check:${i}`)])),
                        ...Object.fromEntries((state.people || []).map(w => [`person:${w}`, centre(`person:${w}`)]))},
              people: state.people || [], windows: state.windows || []};
    },
  };
  const start = () => {
    render();
    window.__sferumRecordState().then(s => { if (s) { state = s; render(); } }).catch(() => {});
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
"""


def show(page: Page, state: dict[str, Any]) -> None:
    """Push the recorder's state to the page's panel; a document being replaced asks for it itself."""
    with contextlib.suppress(Error):
        page.evaluate("s => window.__sferumRecorder && window.__sferumRecorder.show(s)", state)


def read(page: Page) -> dict[str, Any]:
    """What the panel shows and where its buttons are (viewport coordinates of their centres)."""
    found: dict[str, Any] = page.evaluate("() => window.__sferumRecorder.state()")
    return found
