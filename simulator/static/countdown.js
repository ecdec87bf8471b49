// Ticks «01:59»-style countdowns once a second, but only when the simulator's clock runs:
// a frozen (test) clock keeps the number the server rendered, so what a test reads is exact.
document.querySelectorAll("[data-countdown]").forEach((el) => {
  if (el.dataset.clock !== "running") return;
  let left = Number(el.dataset.countdown);
  const tick = () => {
    left = Math.max(0, left - 1);
    el.querySelector("time").textContent =
      String(Math.floor(left / 60)).padStart(2, "0") + ":" + String(left % 60).padStart(2, "0");
    if (left === 0) { clearInterval(timer); el.dispatchEvent(new Event("countdown-end")); }
  };
  const timer = setInterval(tick, 1000);
});
