"""Charts for the PDF, drawn server side as inline SVG: horizontal bars, one per table row, with the value
printed at the end of the bar. Geometry is computed here; templates/pdf/laporan_grafik.html draws it."""

from dataclasses import dataclass

BAR_HEIGHT = 14
GAP = 5
LABEL_WIDTH = 210
BAR_WIDTH = 380
VALUE_WIDTH = 90
MAX_BARS = 60  # a longer table is read as a table, not a chart


@dataclass(frozen=True)
class Batang:
    label: str
    teks: str
    y: float
    lebar: float


def batang(tabel):
    """The chart of `tabel` as {width, height, bars}, or None when it has no chart or nothing to draw."""
    grafik = tabel.grafik
    if grafik is None:
        return None
    kolom = tabel.kolom[grafik.nilai]
    rows = [r for r in tabel.baris if r[grafik.label] not in ("", None)][:MAX_BARS]
    values = [float(r[grafik.nilai] or 0) for r in rows]
    if not rows or not any(values):
        return None
    top = grafik.maks or max(values)
    bars = [
        Batang(
            label=str(row[grafik.label])[:40],
            teks=kolom.tampil(row[grafik.nilai]),
            y=i * (BAR_HEIGHT + GAP),
            lebar=round(BAR_WIDTH * min(value, top) / top, 1) if top else 0,
        )
        for i, (row, value) in enumerate(zip(rows, values, strict=True))
    ]
    return {
        "judul": grafik.judul,
        "lebar": LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH,
        "tinggi": len(bars) * (BAR_HEIGHT + GAP),
        "x_batang": LABEL_WIDTH,
        "x_label": LABEL_WIDTH - 6,
        "tinggi_batang": BAR_HEIGHT,
        "lebar_penuh": BAR_WIDTH,
        "batang": bars,
    }
