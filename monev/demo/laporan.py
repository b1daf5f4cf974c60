"""A few finished reports for the demo's reports page, built here at once (no worker needed): the province's
realisation of the latest period (one asked by the secretariat, one from the monthly schedule), the
monev recap of last month, and Jakarta Pusat's realisation asked by the Tikor kota."""

import datetime

from monev.laporan import jobs
from monev.models import Laporan, today
from penyaluran.distribusi.models import Periode
from tikor.models import User, Wilayah


def seed_reports():
    """Build the demo reports when there are none; returns how many were built."""
    periode = Periode.objects.order_by("-tahun", "-bulan").first()
    if periode is None or Laporan.objects.exists():
        return 0
    users = {u.username: u for u in User.objects.filter(username__in=["sekretariat", "tikor.jakpus"])}
    province, jakpus = Wilayah.objects.get(kode="31"), Wilayah.objects.get(kode="31.71")
    bulan = datetime.date(periode.tahun, periode.bulan, 1)
    last_month = (today().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    asked = [
        (Laporan.Jenis.REALISASI, bulan, province, None),
        (Laporan.Jenis.REALISASI, bulan, province, users.get("sekretariat")),
        (Laporan.Jenis.MONEV, last_month, province, users.get("sekretariat")),
        (Laporan.Jenis.REALISASI, bulan, jakpus, users.get("tikor.jakpus")),
    ]
    built = 0
    for jenis, month, wilayah, user in asked:
        if user is None and built:
            continue  # a demo user is missing: only the scheduled report
        laporan = Laporan.objects.create(
            jenis=jenis,
            bulan=month,
            periode=Periode.objects.filter(tahun=month.year, bulan=month.month).first(),
            wilayah=wilayah,
            dibuat_oleh=user,
            terjadwal=user is None,
        )
        # Built here rather than queued: the demo may run with a broker and no worker yet.
        jobs.run(laporan.pk)
        built += 1
    return built
