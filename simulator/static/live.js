// Keeps a page in step with the world: the server pushes what happened (Server-Sent Events from
// /_live/events, simulator/live/) and the page fetches itself again, replacing only the elements that
// show what changed ([data-live="topics"] with an id) — exactly what a reload would show. No polling:
// nothing is fetched until an event names a topic the page shows. The stream opens after "load", so it
// never holds a page's loading; it closes when the page is left, so a refresh never races a form sent.
(() => {
  const script = document.currentScript;
  const regions = () => Array.from(document.querySelectorAll("[data-live][id]"));
  if (window.simLive || !window.EventSource || regions().length === 0) return;
  const live = (window.simLive = { events: 0, refreshes: 0, source: null, leaving: false });
  const root = document.documentElement;
  let timer = 0;
  let busy = false;
  let again = false;

  const shows = (topics) =>
    topics.includes("*") || regions().some((region) => region.dataset.live.split(/\s+/).some((t) => topics.includes(t)));

  async function refresh() {
    if (live.leaving) return;
    if (busy) {
      again = true; // one more fetch after this one: the newest state wins
      return;
    }
    busy = true;
    try {
      const response = await fetch(location.href, {
        headers: { "X-Sim-Live": "1", Accept: "text/html" },
        credentials: "same-origin",
        cache: "no-store",
        redirect: "manual",
      });
      if (!response.ok || live.leaving) return; // gone or moved: what is shown stays until the person acts
      const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
      for (const region of regions()) {
        const next = fresh.getElementById(region.id);
        if (next && next.outerHTML !== region.outerHTML) region.replaceWith(document.adoptNode(next));
      }
      live.refreshes += 1;
      root.dataset.liveRefreshes = String(live.refreshes);
    } catch (error) {
      // The server restarting or the page leaving: the next event tries again.
    } finally {
      busy = false;
      if (again) {
        again = false;
        refresh();
      }
    }
  }

  function subscribe() {
    if (live.leaving) return;
    const after = script && script.dataset.after ? "?after=" + encodeURIComponent(script.dataset.after) : "";
    const source = (live.source = new EventSource("/_live/events" + after));
    source.addEventListener("open", () => {
      root.dataset.live = "open";
    });
    source.addEventListener("world", (message) => {
      live.events += 1;
      root.dataset.liveEvents = String(live.events);
      let topics = [];
      try {
        topics = JSON.parse(message.data).topics || [];
      } catch (error) {
        return;
      }
      if (!shows(topics)) return;
      clearTimeout(timer);
      timer = setTimeout(refresh, 30); // one fetch for a burst of events (a join and its notice)
    });
  }

  const leave = () => {
    live.leaving = true;
    clearTimeout(timer);
    if (live.source) live.source.close();
  };
  addEventListener("submit", (event) => {
    if (!event.defaultPrevented) leave();
  });
  addEventListener("pagehide", leave);
  addEventListener("pageshow", (event) => {
    if (event.persisted) location.reload(); // back from the browser's cache: show the world as it is now
  });
  if (document.readyState === "complete") setTimeout(subscribe, 0);
  else addEventListener("load", () => setTimeout(subscribe, 0));
})();
