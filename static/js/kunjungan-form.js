// The mobile visit form: one section per screen, a draft autosaved on the phone, GPS with a distance
// warning, photos shrunk before upload, and a submission that waits in the outbox until the signal returns.

import { exifTakenAt, shrink } from "./foto.js";
import { enqueue, flush, putBlob } from "./outbox.js";

const app = document.getElementById("kunjungan-app");
const form = document.getElementById("form-kunjungan");
const steps = [...form.querySelectorAll(".form-step")];
const statusBox = document.getElementById("status-kirim");
const draftKey = `monev:draf:${app.dataset.penugasan}`;
const numberFormat = new Intl.NumberFormat("id-ID");

function newUuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function today() {
  // The visit date in Jakarta time, whatever the phone's zone.
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Jakarta" }).format(new Date());
}

// --- Draft --------------------------------------------------------------------------------------------

let draft = loadDraft();

function loadDraft() {
  try {
    const saved = JSON.parse(localStorage.getItem(draftKey));
    if (saved && saved.uuid) return saved;
  } catch {
    /* a broken draft is replaced */
  }
  return { uuid: newUuid(), fields: {}, lokasi: null, foto: [], step: 0 };
}

function saveDraft() {
  draft.fields = Object.fromEntries(
    [...new FormData(form).entries()].filter(([name]) => name !== "csrfmiddlewaretoken"),
  );
  localStorage.setItem(draftKey, JSON.stringify(draft));
}

function restoreDraft() {
  const names = Object.keys(draft.fields);
  for (const [name, value] of Object.entries(draft.fields)) {
    for (const input of form.querySelectorAll(`[name="${CSS.escape(name)}"]`)) {
      if (input.type === "radio") input.checked = input.value === value;
      else input.value = value;
    }
  }
  if (!form.tanggal.value) form.tanggal.value = today();
  if (draft.lokasi) showLocation(draft.lokasi);
  for (const foto of draft.foto) showPhoto(foto.pertanyaan);
  if (names.length > 1 || draft.foto.length) {
    const box = document.getElementById("pesan-draf");
    box.textContent = "Draf yang tersimpan di perangkat ini dipulihkan.";
    box.hidden = false;
  }
}

// --- Steps --------------------------------------------------------------------------------------------

let current = 0;

function show(index) {
  current = Math.max(0, Math.min(index, steps.length - 1));
  steps.forEach((step, i) => {
    step.hidden = i !== current;
  });
  document.getElementById("sebelumnya").disabled = current === 0;
  document.getElementById("berikutnya").hidden = current === steps.length - 1;
  document.getElementById("kemajuan").style.width = `${Math.round((100 * (current + 1)) / steps.length)}%`;
  draft.step = current;
  window.scrollTo(0, 0);
}

document.getElementById("sebelumnya").addEventListener("click", () => show(current - 1));
document.getElementById("berikutnya").addEventListener("click", () => {
  show(current + 1);
  saveDraft();
});

// --- GPS ----------------------------------------------------------------------------------------------

function haversine(lat1, lng1, lat2, lng2) {
  const rad = (d) => (d * Math.PI) / 180;
  const a =
    Math.sin(rad(lat2 - lat1) / 2) ** 2 + Math.cos(rad(lat1)) * Math.cos(rad(lat2)) * Math.sin(rad(lng2 - lng1) / 2) ** 2;
  return 2 * 6371000 * Math.asin(Math.sqrt(a));
}

function showLocation(lokasi) {
  const out = document.getElementById("hasil-lokasi");
  if (!out) return;
  out.textContent = `Lokasi tercatat: ${lokasi.lat.toFixed(6)}, ${lokasi.lng.toFixed(6)} (akurasi ±${numberFormat.format(lokasi.akurasi)} m)`;
  const warning = document.getElementById("peringatan-jarak");
  const { ewarongLat, ewarongLng, jarakMaks } = app.dataset;
  if (ewarongLat && ewarongLng) {
    const distance = Math.round(haversine(lokasi.lat, lokasi.lng, Number(ewarongLat), Number(ewarongLng)));
    warning.hidden = distance <= Number(jarakMaks);
    warning.textContent = `Anda berada sekitar ${numberFormat.format(distance)} m dari titik e-warong (lebih dari ${jarakMaks} m). Pastikan Anda berada di e-warong yang benar.`;
  }
}

for (const button of form.querySelectorAll("[data-ambil-lokasi]")) {
  button.addEventListener("click", () => {
    const out = document.getElementById("hasil-lokasi");
    if (!navigator.geolocation) {
      out.textContent = "Perangkat ini tidak mendukung GPS.";
      return;
    }
    out.textContent = "Mencari lokasi…";
    navigator.geolocation.getCurrentPosition(
      (position) => {
        draft.lokasi = {
          lat: position.coords.latitude,
          lng: position.coords.longitude,
          akurasi: Math.round(position.coords.accuracy),
        };
        showLocation(draft.lokasi);
        saveDraft();
      },
      (error) => {
        out.textContent =
          error.code === error.PERMISSION_DENIED
            ? "Izin lokasi ditolak. Aktifkan izin lokasi untuk situs ini."
            : "Lokasi belum didapat. Coba lagi di tempat terbuka.";
      },
      { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 },
    );
  });
}

// --- Photos -------------------------------------------------------------------------------------------

function showPhoto(kode) {
  const info = form.querySelector(`[data-foto-info="${CSS.escape(kode)}"]`);
  const count = draft.foto.filter((f) => f.pertanyaan === kode).length;
  if (info) info.textContent = count ? `${count} foto tersimpan di perangkat.` : "";
}

for (const input of form.querySelectorAll("input[data-foto]")) {
  input.addEventListener("change", async () => {
    const file = input.files[0];
    if (!file) return;
    const kode = input.dataset.foto;
    const info = form.querySelector(`[data-foto-info="${CSS.escape(kode)}"]`);
    info.textContent = "Memproses foto…";
    try {
      const diambil = await exifTakenAt(file);
      const blob = await shrink(file);
      const uuid = newUuid();
      await putBlob(`foto:${uuid}`, blob);
      draft.foto.push({ uuid, pertanyaan: kode, diambil_pada: diambil || new Date().toISOString() });
      saveDraft();
      showPhoto(kode);
    } catch {
      info.textContent = "Foto tidak dapat diproses. Coba ambil ulang.";
    }
    input.value = "";
  });
}

// --- Submit -------------------------------------------------------------------------------------------

function payload() {
  const data = new FormData(form);
  const jawaban = {};
  const keterangan = {};
  for (const [name, value] of data.entries()) {
    if (name.startsWith("q_")) jawaban[name.slice(2)] = value;
    if (name.startsWith("k_") && value) keterangan[name.slice(2)] = value;
  }
  return {
    uuid: draft.uuid,
    tanggal: data.get("tanggal"),
    kpm: data.get("kpm") || null,
    catatan: data.get("catatan") || "",
    lokasi: draft.lokasi,
    jawaban,
    keterangan,
  };
}

function missingRequired() {
  const missing = [];
  if (form.querySelector("input[name=kpm]") && !new FormData(form).get("kpm")) missing.push("KPM");
  for (const fieldset of form.querySelectorAll("fieldset[data-wajib='1']")) {
    const { kode, tipe } = fieldset.dataset;
    if (tipe === "foto" || tipe === "gps") continue;
    const value = new FormData(form).get(`q_${kode}`);
    const empty = value === null || value === "";
    fieldset.querySelector(`[data-galat]`).textContent = empty ? "Wajib diisi." : "";
    if (empty) missing.push(kode);
  }
  return missing;
}

// Text, never markup: a refusal quotes what the server said of the visit's own answers.
function setStatus(kind, text, link) {
  statusBox.className = `alert alert-${kind} mt-3`;
  statusBox.textContent = text;
  if (link) {
    const a = document.createElement("a");
    a.href = link;
    a.textContent = "Lihat kunjungan";
    statusBox.append(" ", a);
  }
  statusBox.hidden = false;
}

let submittedUuid = null;

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const summary = document.getElementById("ringkasan-galat");
  const missing = missingRequired();
  if (missing.length) {
    summary.textContent = `Pertanyaan wajib belum diisi: ${missing.join(", ")}.`;
    summary.hidden = false;
    return;
  }
  summary.hidden = true;
  const body = payload();
  const fotoUrl = app.dataset.fotoUrl.replace("00000000-0000-0000-0000-000000000000", body.uuid);
  await enqueue({ kind: "json", url: app.dataset.kirimUrl, body, group: body.uuid, label: "kunjungan" });
  for (const foto of draft.foto) {
    await enqueue({
      kind: "foto",
      url: fotoUrl,
      fields: { uuid: foto.uuid, pertanyaan: foto.pertanyaan, diambil_pada: foto.diambil_pada },
      blobKey: `foto:${foto.uuid}`,
      group: body.uuid,
      label: "foto",
    });
  }
  submittedUuid = body.uuid;
  localStorage.removeItem(draftKey);
  document.getElementById("pesan-draf").hidden = true;
  document.getElementById("tombol-kirim").disabled = true;
  setStatus("warning", "Kunjungan disimpan di perangkat dan sedang dikirim…");
  flush();
});

window.addEventListener("outbox:change", (event) => {
  const { pending, sent, response, failed, offline, retry } = event.detail;
  const mine = pending.filter((item) => item.group === submittedUuid);
  if (!submittedUuid) return; // earlier queued visits: the badge of outbox-start.js speaks for them
  if (failed && failed.group === submittedUuid) {
    const details = failed.details ? Object.entries(failed.details).map(([k, v]) => `${k}: ${v.join(" ")}`) : [];
    setStatus("danger", `Kiriman ditolak: ${failed.error} ${details.join("; ")}`);
    return;
  }
  if (sent && sent.label === "kunjungan" && response.url) {
    app.dataset.detailUrl = response.url;
    app.dataset.jauh = response.jauh ? "1" : "";
  }
  const photosLeft = mine.filter((item) => item.label === "foto" && !item.error).length;
  if (!mine.some((item) => !item.error)) {
    setStatus("success", "Kunjungan terkirim.", app.dataset.detailUrl);
    statusBox.dataset.state = "terkirim";
  } else if (offline || retry || !navigator.onLine) {
    const waiting = photosLeft ? ` (${photosLeft} foto menunggu)` : "";
    setStatus(
      "warning",
      `Tidak ada sinyal. Kunjungan tersimpan di antrean perangkat${waiting} dan akan dikirim otomatis saat sinyal kembali.`,
    );
    statusBox.dataset.state = "antre";
  } else if (photosLeft) {
    setStatus("info", `Kunjungan terkirim, ${photosLeft} foto sedang dikirim…`);
  }
});

form.addEventListener("input", saveDraft);
form.addEventListener("change", saveDraft);
restoreDraft();
show(draft.step || 0);
