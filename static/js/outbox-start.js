// On every monev page: keep sending what the phone queued offline, and say how much still waits.

import { startAutoFlush } from "./outbox.js";

const badge = document.getElementById("antrean-perangkat");

window.addEventListener("outbox:change", (event) => {
  const waiting = event.detail.pending.filter((item) => !item.error).length;
  const refused = event.detail.pending.length - waiting;
  const parts = [];
  if (waiting) parts.push(`${waiting} kiriman menunggu sinyal`);
  if (refused) parts.push(`${refused} kiriman ditolak server`);
  badge.textContent = parts.join(" · ");
  badge.hidden = parts.length === 0;
});

startAutoFlush();

// Keep the forms of the listed assignments on the phone, for markets without signal.
const script = document.getElementById("outbox-start");
if ("serviceWorker" in navigator && script) {
  navigator.serviceWorker.register(script.dataset.serviceWorker).then(async () => {
    const worker = (await navigator.serviceWorker.ready).active;
    const urls = [...document.querySelectorAll("a[data-testid^='penugasan-']")].flatMap((a) => [a.href, `${a.href}isi/`]);
    if (worker && urls.length) worker.postMessage({ type: "prefetch", urls });
  });
}
