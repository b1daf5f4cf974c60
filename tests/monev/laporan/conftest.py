"""A small June 2021 distribution in Gambir, Tanah Abang (Jakarta Pusat) and Tebet (Jakarta Selatan), and an
October 2026 of monev work in Gambir and Tebet, for the report stories."""

import datetime
import uuid

import pytest
from django.utils import timezone

from monev.models import Instrumen, Kunjungan, Penugasan, SkorAspek, Temuan, TindakLanjut
from penyaluran.distribusi.realisasi import refresh_summary
from tests.conftest import KEL_GAMBIR, KEL_TANAH_ABANG, KEL_TEBET
from tests.factories import EWarongFactory, KpmFactory, beli, kredit, periode
from tikor.models import Bank

OKTOBER = datetime.date(2026, 10, 1)


@pytest.fixture
def bri(db):
    return Bank.objects.get(kode="BRI")


@pytest.fixture
def distribusi(db, bri):
    """Credits and purchases of June 2021; one credit for a NIK outside the registry, one failed credit."""
    juni = periode(2021, 6)
    # A name that starts like a formula must reach the sheet as text.
    melati = EWarongFactory(nama='=HYPERLINK("http://contoh";"klik")', kelurahan_id=KEL_GAMBIR)
    mawar = EWarongFactory(nama="e-Warong Mawar", kelurahan_id=KEL_TANAH_ABANG)
    tebet = EWarongFactory(nama="e-Warong Tebet", kelurahan_id=KEL_TEBET, bank=bri)
    people = {
        "gambir": [KpmFactory(kelurahan_id=KEL_GAMBIR, ewarong=melati, nomor_kks=f"60131{i:011d}") for i in range(3)],
        "tanah_abang": [KpmFactory(kelurahan_id=KEL_TANAH_ABANG, ewarong=mawar) for _i in range(2)],
        "tebet": [KpmFactory(kelurahan_id=KEL_TEBET, ewarong=tebet, bank=bri) for _i in range(2)],
    }
    for kpm in people["gambir"] + people["tanah_abang"] + people["tebet"]:
        kredit(juni, kpm)
    kredit(juni, people["gambir"][0], status="gagal", jumlah=200_000)
    kredit(juni, None, nik="3171019999990001")
    spent = {"gambir": (melati, 150_000), "tanah_abang": (mawar, 200_000), "tebet": (tebet, 120_000)}
    for place, (outlet, amount) in spent.items():
        for kpm in people[place]:
            beli(juni, kpm, outlet, jumlah=amount)
    refresh_summary(juni)
    return {"periode": juni, "melati": melati, "mawar": mawar, "tebet": tebet, "kpm": people}


@pytest.fixture
def monev_oktober(db, pendamping_gambir):
    """October 2026: assignments, visits with 6T scores, findings and actions in Gambir and Tebet."""
    instrumen = Instrumen.objects.terbaru(Instrumen.Jenis.EWARONG)
    gambir = EWarongFactory(nama="e-Warong Melati Gambir", kelurahan_id=KEL_GAMBIR)
    tebet = EWarongFactory(nama="e-Warong Tebet", kelurahan_id=KEL_TEBET)
    day = datetime.date(2026, 10, 14)
    at = timezone.make_aware(datetime.datetime(2026, 10, 14, 10, 0))

    def assignment(ewarong, status, tanggal=day):
        return Penugasan.objects.create(ewarong=ewarong, instrumen=instrumen, batas_waktu=tanggal, status=status)

    def visit(penugasan, status, weights):
        kunjungan = Kunjungan.objects.create(
            uuid=uuid.uuid4(),
            penugasan=penugasan,
            instrumen=instrumen,
            ewarong=penugasan.ewarong,
            petugas=pendamping_gambir,
            tanggal=day,
            status=status,
        )
        for aspek, (patuh, total) in weights.items():
            SkorAspek.objects.create(kunjungan=kunjungan, aspek=aspek, bobot_patuh=patuh, bobot_total=total)
        return kunjungan

    visit(assignment(gambir, "selesai"), Kunjungan.Status.TERVERIFIKASI, {"sasaran": (3, 4), "harga": (1, 2)})
    visit(assignment(gambir, "selesai"), Kunjungan.Status.DIKIRIM, {"sasaran": (4, 4), "kualitas": (0, 2)})
    visit(assignment(tebet, "selesai"), Kunjungan.Status.TERVERIFIKASI, {"jumlah": (2, 2)})
    visit(assignment(gambir, "terbuka"), Kunjungan.Status.DRAF, {"sasaran": (0, 4)})  # a draft does not count
    assignment(gambir, "batal")  # cancelled: not planned
    assignment(tebet, "terbuka", datetime.date(2026, 11, 3))  # another month
    findings = []
    for ewarong, keparahan, status in (
        (gambir, "tinggi", "terbuka"),
        (gambir, "sedang", "selesai"),
        (tebet, "kritis", "terbuka"),
    ):
        findings.append(
            Temuan.objects.create(
                ewarong=ewarong,
                judul="Harga di atas acuan",
                aspek="harga",
                keparahan=keparahan,
                status=status,
                batas_waktu=day,
                dibuat_pada=at,
            )  # fmt: skip
        )
    closed_on_time = TindakLanjut.objects.create(
        temuan=findings[0],
        uraian="Pembinaan harga",
        penanggung_jawab="Pendamping",
        batas_waktu=datetime.date(2026, 10, 20),
    )
    TindakLanjut.objects.filter(pk=closed_on_time.pk).update(status="selesai", ditutup_pada=at)
    late = TindakLanjut.objects.create(
        temuan=findings[0], uraian="Teguran", penanggung_jawab="Pendamping", batas_waktu=datetime.date(2026, 10, 10)
    )
    TindakLanjut.objects.filter(pk=late.pk).update(status="selesai", ditutup_pada=at)
    TindakLanjut.objects.create(
        temuan=findings[2], uraian="Cek ulang", penanggung_jawab="Pendamping", batas_waktu=datetime.date(2026, 10, 25)
    )
    return {"gambir": gambir, "tebet": tebet}


@pytest.fixture
def buat(celery_eager, django_capture_on_commit_callbacks):
    """Ask for a report and let the (eager) task build it: buat(jenis, bulan, kode, user, **parameters)."""
    from monev.laporan import jobs
    from tikor.models import Wilayah

    def build(jenis, bulan, kode, user=None, **parameters):
        with django_capture_on_commit_callbacks(execute=True):
            laporan = jobs.ask(jenis, bulan, Wilayah.objects.get(kode=kode), user=user, **parameters)
        laporan.refresh_from_db()
        return laporan

    return build


def sheets(laporan):
    """{sheet name: rows of values} of a report's XLSX, and the workbook itself."""
    from openpyxl import load_workbook

    with laporan.berkas_xlsx.open("rb") as handle:
        workbook = load_workbook(handle)
    return workbook, {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in workbook.worksheets}


def data_rows(rows):
    """The rows of a sheet between its header and its totals row (or the first empty row)."""
    body = []
    for row in rows[1:]:
        if row[0] == "Jumlah" or not any(v is not None for v in row):
            break
        body.append(row)
    return body
