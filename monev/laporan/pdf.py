"""A Dokumen as a PDF on the Dinas Sosial letterhead (tikor.pdf): tables, SVG charts, page numbers, the
"as of" time in every footer."""

from monev.laporan.grafik import batang
from tikor.formatting import JAKARTA, tanggal
from tikor.pdf import render_pdf

WIDE_TABLE = 7  # columns: more than this and the document is printed landscape


def render(dokumen, generated_at):
    """The PDF bytes of `dokumen`, stamped with `generated_at`."""
    widest = max((len(t.kolom) for t in dokumen.tabel if t.di_pdf), default=0)
    sections = [
        {
            "tabel": tabel,
            "grafik": batang(tabel),
            "baris": [tabel.tampil(row) for row in tabel.baris] if tabel.di_pdf else [],
            "total": tabel.tampil(tabel.total) if tabel.total and tabel.di_pdf else None,
        }
        for tabel in dokumen.tabel
    ]
    context = {
        "dokumen": dokumen,
        "bagian_list": sections,
        "orientasi": "landscape" if widest > WIDE_TABLE else "portrait",
        "ukuran_huruf": "7.5pt" if widest > 10 else "8.5pt",
        "tanggal_tanda_tangan": tanggal(generated_at.astimezone(JAKARTA)),
    }
    return render_pdf("pdf/laporan_dokumen.html", context, as_of=generated_at)
