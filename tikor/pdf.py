"""PDF documents from HTML templates with WeasyPrint: reports, posters, berita acara.

Every document extends ``pdf/dasar.html`` (Dinas Sosial letterhead, page numbers, the "as of" time in the
footer). Static files (logo, fonts, CSS) are read from the finders, never over HTTP, so rendering works offline
and inside a worker that serves nothing.
"""

import mimetypes

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone

from tikor.formatting import JAKARTA, tanggal

STATIC_SCHEME = "static:"


def _static_file(url):
    """The bytes and MIME type of ``static:css/x.css``, from the finders."""
    path = finders.find(url[len(STATIC_SCHEME) :])
    if not path:
        raise ValueError(f"Berkas statis tidak ditemukan: {url}")
    with open(path, "rb") as handle:
        return handle.read(), mimetypes.guess_type(path)[0] or "application/octet-stream"


def _fetcher():
    """WeasyPrint's URL fetcher limited to ``static:`` and ``data:`` addresses: nothing from the network."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnly(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith(STATIC_SCHEME):
                body, mime = _static_file(url)
                return URLFetcherResponse(url, body, {"Content-Type": mime})
            if url.startswith("data:"):
                return super().fetch(url, headers)
            raise ValueError(f"Dokumen PDF tidak mengambil alamat luar: {url}")

    return StaticOnly(fail_on_errors=True)


def render_pdf(template_name, context=None, *, as_of=None):
    """Render ``template_name`` to PDF bytes; ``as_of`` (default now) is printed in every page's footer."""
    from weasyprint import HTML

    moment = (as_of or timezone.now()).astimezone(JAKARTA)
    context = {
        **(context or {}),
        "per_waktu": f"{tanggal(moment)} pukul {moment:%H.%M} WIB",
        "dibuat": moment,
    }
    html = render_to_string(template_name, context)
    return HTML(string=html, url_fetcher=_fetcher(), base_url=STATIC_SCHEME).write_pdf()
