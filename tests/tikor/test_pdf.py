"""The shared PDF path: letterhead, page numbers, the as-of time, and no fetch from outside."""

import datetime

import pytest

from tikor import pdf
from tikor.formatting import JAKARTA


def _text(data):
    pypdf = pytest.importorskip("pypdf")
    import io

    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def test_letterhead_page_numbers_and_as_of(tmp_path, settings):
    (tmp_path / "uji.html").write_text(
        '{% extends "pdf/dasar.html" %}{% block isi %}<h1>Laporan Uji</h1>'
        "{% for i in baris %}<p>Baris {{ i }}</p>{% endfor %}{% endblock %}"
    )
    # Assigned, not changed in place: the setting_changed signal then resets the loaded template engines.
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}]
    moment = datetime.datetime(2026, 11, 5, 9, 30, tzinfo=JAKARTA)
    data = pdf.render_pdf("uji.html", {"baris": range(120)}, as_of=moment)
    assert data.startswith(b"%PDF")
    text = _text(data)
    assert "DINAS SOSIAL" in text
    assert "Laporan Uji" in text
    assert "Keadaan per 5 November 2026 pukul 09.30 WIB" in text
    pages = text.count("Keadaan per 5 November 2026")
    assert pages > 1
    assert f"Halaman 1 dari {pages}" in text
    assert f"Halaman {pages} dari {pages}" in text


def test_outside_addresses_are_not_fetched():
    fetcher = pdf._fetcher()
    with pytest.raises(ValueError, match="tidak mengambil alamat luar"):
        fetcher.fetch("http://example.org/logo.png")
    with pytest.raises(ValueError, match="tidak ditemukan"):
        fetcher.fetch("static:tidak/ada.css")
    css = fetcher.fetch("static:css/tikor.css")
    assert css.content_type == "text/css"
    assert css.read()
