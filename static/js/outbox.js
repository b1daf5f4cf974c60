// A queue of requests kept in IndexedDB and sent in order when the network allows, so a visit
// filled where the signal drops is never lost. Each item is sent until the server answers;
// the server is idempotent (uuid), so sending twice after a lost answer stores one visit.

const DB_NAME = "monev-outbox";
const ITEMS = "items";
const BLOBS = "blobs";
const RETRY_MS = 5000;

let dbPromise = null;

function openDb() {
  if (!dbPromise) {
    dbPromise = new Promise((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = () => {
        request.result.createObjectStore(ITEMS, { keyPath: "seq", autoIncrement: true });
        request.result.createObjectStore(BLOBS);
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }
  return dbPromise;
}

async function run(store, mode, action) {
  const db = await openDb();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(store, mode);
    const result = action(tx.objectStore(store));
    tx.oncomplete = () => resolve(result && "result" in result ? result.result : undefined);
    tx.onerror = () => reject(tx.error);
  });
}

export const putBlob = (key, blob) => run(BLOBS, "readwrite", (s) => s.put(blob, key));
export const getBlob = (key) => run(BLOBS, "readonly", (s) => s.get(key));
export const deleteBlob = (key) => run(BLOBS, "readwrite", (s) => s.delete(key));
export const items = () => run(ITEMS, "readonly", (s) => s.getAll());
const saveItem = (item) => run(ITEMS, "readwrite", (s) => s.put(item));
const deleteItem = (seq) => run(ITEMS, "readwrite", (s) => s.delete(seq));

/** Queue a request: {kind: "json", url, body} or {kind: "foto", url, fields, blobKey}; `group` ties a visit and its photos. */
export async function enqueue(item) {
  await saveItem({ ...item, attempts: 0, error: null, queuedAt: new Date().toISOString() });
  notify();
}

function csrfToken() {
  const cookie = document.cookie.split("; ").find((c) => c.startsWith("csrftoken="));
  if (cookie) return decodeURIComponent(cookie.split("=")[1]);
  const input = document.querySelector("input[name=csrfmiddlewaretoken]");
  return input ? input.value : "";
}

async function send(item) {
  const headers = { "X-CSRFToken": csrfToken(), "X-Requested-With": "fetch" };
  let body;
  if (item.kind === "json") {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(item.body);
  } else {
    body = new FormData();
    for (const [name, value] of Object.entries(item.fields)) body.append(name, value ?? "");
    const blob = await getBlob(item.blobKey);
    if (!blob) return { ok: true, status: 410, data: {} }; // the photo is gone from the phone: nothing to send
    body.append("berkas", blob, `${item.fields.uuid}.jpg`);
  }
  const response = await fetch(item.url, { method: "POST", headers, body, credentials: "same-origin" });
  // Sent to the login page: the session ended (idle or past its day). Not sent: keep it for after sign-in.
  if (response.redirected) return { ok: false, status: 401, data: {} };
  let data = {};
  try {
    data = await response.json();
  } catch {
    data = {};
  }
  return { ok: response.ok, status: response.status, data };
}

// 404 on a photo means its visit has not arrived yet; 401 (signed out), 408/429 and 5xx are worth another try.
const transient = (status) => status === 401 || status === 404 || status === 408 || status === 429 || status >= 500;

let flushing = false;

/** Send queued items in order; stop at the first network failure and try again later. */
export async function flush() {
  if (flushing) return;
  flushing = true;
  try {
    const queue = (await items()).filter((item) => !item.error);
    for (const item of queue) {
      let result;
      try {
        result = await send(item);
      } catch {
        item.attempts += 1;
        await saveItem(item);
        notify({ offline: true });
        return;
      }
      if (result.ok) {
        await deleteItem(item.seq);
        if (item.blobKey) await deleteBlob(item.blobKey);
        notify({ sent: item, response: result.data });
      } else if (transient(result.status)) {
        item.attempts += 1;
        await saveItem(item);
        notify({ retry: item });
        return;
      } else {
        // The server refused the content: keep it, visible, and go on with the rest.
        item.error = result.data.pesan || `Ditolak server (kode ${result.status}).`;
        item.details = result.data.galat || null;
        await saveItem(item);
        notify({ failed: item });
      }
    }
  } finally {
    flushing = false;
  }
}

function notify(detail = {}) {
  items().then((all) => {
    window.dispatchEvent(new CustomEvent("outbox:change", { detail: { ...detail, pending: all } }));
  });
}

/** Retry when the signal returns and, while anything waits, every few seconds. */
export function startAutoFlush() {
  window.addEventListener("online", () => flush());
  setInterval(async () => {
    if ((await items()).some((item) => !item.error)) flush();
  }, RETRY_MS);
  flush();
}
