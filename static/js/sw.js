// Service worker for /monev/: keeps the visit forms and their scripts on the phone so a form opened
// (or pre-fetched from the assignment list) with signal still opens in a market without it.
// Only GET requests are touched; visits and photos are posted by the page itself (see outbox.js).

const PAGES = "monev-halaman-v1";
const ASSETS = "monev-aset-v1";
const FORM_PAGE = /\/monev\/penugasan\/\d+\/(isi\/)?$/;

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("message", (event) => {
  // The assignment list asks to keep its forms ready before the pendamping leaves the office.
  if (event.data && event.data.type === "prefetch") {
    event.waitUntil(
      caches.open(PAGES).then((cache) =>
        Promise.all(
          event.data.urls.map((url) =>
            fetch(url, { credentials: "same-origin" })
              .then((response) => (response.ok ? cache.put(url, response) : null))
              .catch(() => null),
          ),
        ),
      ),
    );
  }
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;

  if (url.pathname.startsWith("/akun/")) {
    // Signing in or out: forget the pages of the previous session (a phone may be shared).
    event.waitUntil(caches.delete(PAGES));
    return;
  }
  if (request.mode === "navigate" && FORM_PAGE.test(url.pathname)) {
    event.respondWith(networkFirst(request));
    return;
  }
  if (url.pathname.startsWith("/static/")) {
    event.respondWith(staleWhileRevalidate(request));
  }
});

async function networkFirst(request) {
  const cache = await caches.open(PAGES);
  try {
    const response = await fetch(request);
    if (response.ok && !response.redirected) cache.put(request, response.clone());
    return response;
  } catch (error) {
    const cached = await cache.match(request, { ignoreSearch: true });
    if (cached) return cached;
    throw error;
  }
}

async function staleWhileRevalidate(request) {
  const cache = await caches.open(ASSETS);
  const cached = await cache.match(request);
  const fresh = fetch(request)
    .then((response) => {
      if (response.ok) cache.put(request, response.clone());
      return response;
    })
    .catch(() => cached);
  return cached || fresh;
}
