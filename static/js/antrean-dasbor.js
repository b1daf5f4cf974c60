// The pendamping's dashboard: how many visits and photos still wait in this phone's outbox (static/js/outbox.js),
// read from the same IndexedDB queue. Nothing is sent from here; the monev pages send the queue.

import { items } from "./outbox.js";

async function show() {
  const box = document.getElementById("antrean-dasbor"); // swapped anew when the filter changes
  if (!box) return;
  let queued = [];
  try {
    queued = await items();
  } catch {
    box.textContent = "Antrean kiriman di ponsel ini tidak dapat dibaca.";
    return;
  }
  const visits = queued.filter((item) => item.kind === "json" && !item.error).length;
  const photos = queued.filter((item) => item.kind === "foto" && !item.error).length;
  const refused = queued.filter((item) => item.error).length;
  const parts = [`${visits} kunjungan`, `${photos} foto`];
  box.textContent = `Menunggu dikirim dari ponsel ini: ${parts.join(", ")}.`;
  if (refused) box.textContent += ` ${refused} kiriman ditolak server: buka halaman Monev untuk melihatnya.`;
  box.classList.toggle("text-warning-emphasis", visits + photos + refused > 0);
  box.dataset.jumlah = String(visits);
}

window.addEventListener("outbox:change", show);
document.body.addEventListener("htmx:afterSettle", show);
show();
