"""A Dokumen as a PDF on the Dinas Sosial letterhead (tikor.pdf): tables, SVG charts, page numbers, the
"as of" time in every footer."""

from monev.laporan.grafik import batang
from tikor.formatting import JAKARTA, angka, tanggal
from tikor.pdf import render_pdf

WIDE_TABLE = 7  # columns: more than this and the document is printed landscape
# A signed document summarises; a table longer than this (every kelurahan, every e-warong of the province) is
# left to the XLSX, and the PDF says so. Laying out a 500-row table is most of a PDF's time.
PDF_MAX_ROWS = 120


def render(dokumen, generated_at):
    """The PDF bytes of `dokumen`, stamped with `generated_at`."""
    sections = [_section(tabel) for tabel in dokumen.tabel]
    widest = max((len(s["tabel"].kolom) for s in sections if s["di_pdf"]), default=0)
    context = {
        "dokumen": dokumen,
        "bagian_list": sections,
        "orientasi": "landscape" if widest > WIDE_TABLE else "portrait",
        "ukuran_huruf": "7.5pt" if widest > 10 else "8.5pt",
        "tanggal_tanda_tangan": tanggal(generated_at.astimezone(JAKARTA)),
    }
    return render_pdf("pdf/laporan_dokumen.html", context, as_of=generated_at)


def _section(tabel):
    shown = tabel.di_pdf and len(tabel.baris) <= PDF_MAX_ROWS
    catatan = tabel.catatan
    if tabel.di_pdf and not shown:
        catatan = " ".join(filter(None, [catatan, f"Rincian {angka(len(tabel.baris))} baris ada di berkas XLSX."]))
    total_width = sum(k.lebar for k in tabel.kolom) or 1
    return {
        "tabel": tabel,
        # Column widths in proportion to the XLSX's: the layout is fixed (fast), so it does not measure cells.
        "lebar": [round(100 * k.lebar / total_width, 2) for k in tabel.kolom],
        "di_pdf": shown,
        "catatan": catatan,
        "grafik": batang(tabel),
        "baris": [tabel.tampil(row) for row in tabel.baris] if shown else [],
        "total": tabel.tampil(tabel.total) if tabel.total and shown else None,
    }
