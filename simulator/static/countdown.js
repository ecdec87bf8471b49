// Ticks «01:59»-style countdowns once a second, but only when the simulator's clock runs:
// a frozen (test) clock keeps the number the server rendered, so what a test reads is exact.
// At 00:00 the control waiting in the <template> after the countdown («Получить новый код») takes its
// place, as a reload would show it.
document.querySelectorAll("[data-countdown]").forEach((el) => {
  if (el.dataset.clock !== "running") return;
  let left = Number(el.dataset.countdown);
  const finish = () => {
    const next = el.nextElementSibling;
    if (next && next.matches("template[data-after-countdown]")) {
      el.replaceWith(next.content.cloneNode(true));
      next.remove();
    }
  };
  const tick = () => {
    left = Math.max(0, left - 1);
    el.querySelector("time").textContent =
      String(Math.floor(left / 60)).padStart(2, "0") + ":" + String(left % 60).padStart(2, "0");
    if (left === 0) {
      clearInterval(timer);
      el.dispatchEvent(new Event("countdown-end"));
      finish();
    }
  };
  const timer = setInterval(tick, 1000);
});
