"""The secretariat's audit page: sign-ins, full numbers seen, exports, changes and temporary access, filtered by
user, kind, object and dates, downloadable as XLSX (audited too), kept AUDIT_RETENTION_DAYS; 403 for other roles."""

import datetime
import io

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tikor import tasks
from tikor.models import AuditLog, Bank

pytestmark = pytest.mark.django_db

PASSWORD = "kata-sandi-uji-123"


def logged(user, aksi, objek, days_ago=0, **keterangan):
    row = AuditLog.objects.create(pengguna=user, aksi=aksi, objek=objek, keterangan=keterangan)
    AuditLog.objects.filter(pk=row.pk).update(waktu=timezone.now() - datetime.timedelta(days=days_ago))
    return row


def listed(response):
    assert response.status_code == 200
    return [
        (e.pengguna.username if e.pengguna else None, e.aksi, e.objek) for e in response.context["page"].object_list
    ]


def test_sign_ins_failed_sign_ins_and_admin_changes_are_logged(client, sekretariat, pendamping_gambir):
    client.post(reverse("masuk"), {"username": "pendamping.gambir", "password": "salah"})
    client.post(reverse("masuk"), {"username": "pendamping.gambir", "password": PASSWORD})
    client.force_login(sekretariat)
    bank = Bank.objects.get(kode="BNI")
    client.post(reverse("admin:tikor_bank_change", args=[bank.pk]), {"kode": "BNI", "nama": "Bank Negara Indonesia"})

    failed = AuditLog.objects.get(aksi=AuditLog.Aksi.GAGAL_MASUK)
    signed_in = AuditLog.objects.get(aksi=AuditLog.Aksi.MASUK)
    changed = AuditLog.objects.get(aksi=AuditLog.Aksi.UBAH)
    assert (failed.pengguna, failed.keterangan["nama_pengguna"]) == (None, "pendamping.gambir")
    assert "salah" not in str(failed.keterangan)
    assert (signed_in.pengguna, signed_in.keterangan["ip"]) == (pendamping_gambir, "127.0.0.1")
    assert (changed.pengguna, changed.objek, changed.keterangan["id"]) == (sekretariat, "tikor.bank", str(bank.pk))
    assert changed.keterangan["tindakan"] == "ubah"


def test_the_audit_page_filters_by_user_kind_object_and_dates(client, sekretariat, pendamping_gambir, anggota_tikor):
    logged(pendamping_gambir, "lihat", "penyaluran.kpm", days_ago=1, kpm=7)
    logged(pendamping_gambir, "ekspor", "penyaluran.kpm", days_ago=10)
    logged(anggota_tikor, "ekspor", "penyaluran.rekonsiliasi", days_ago=3)
    client.force_login(sekretariat)
    page = reverse("audit_list")
    today = timezone.localdate()

    assert len(listed(client.get(page))) == 3
    assert listed(client.get(page, {"pengguna": pendamping_gambir.pk})) == [
        ("pendamping.gambir", "lihat", "penyaluran.kpm"),
        ("pendamping.gambir", "ekspor", "penyaluran.kpm"),
    ]
    assert listed(client.get(page, {"aksi": "ekspor", "objek": "rekonsiliasi"})) == [
        ("anggota.tikor", "ekspor", "penyaluran.rekonsiliasi")
    ]
    window = {"dari": today - datetime.timedelta(days=5), "sampai": today - datetime.timedelta(days=2)}
    assert listed(client.get(page, window)) == [("anggota.tikor", "ekspor", "penyaluran.rekonsiliasi")]
    refused = client.get(page, {"dari": today, "sampai": today - datetime.timedelta(days=1)})
    assert "Tanggal awal harus sebelum tanggal akhir." in refused.content.decode()
    assert "kpm: 7" in client.get(page, {"aksi": "lihat"}).content.decode()


def test_the_filtered_list_downloads_as_xlsx_and_the_download_is_audited(client, sekretariat, pendamping_gambir):
    logged(pendamping_gambir, "lihat", "penyaluran.kpm", kpm=7)
    logged(sekretariat, "ekspor", "penyaluran.ewarong")
    client.force_login(sekretariat)

    response = client.get(reverse("audit_xlsx"), {"pengguna": pendamping_gambir.pk})

    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("Waktu (WIB)", "Pengguna", "Jenis", "Objek")
    assert [r[1:4] for r in rows[1:]] == [("pendamping.gambir", "Lihat data pribadi lengkap", "penyaluran.kpm")]
    audit = AuditLog.objects.get(objek="tikor.auditlog")
    assert (audit.pengguna, audit.aksi, audit.jumlah_baris) == (sekretariat, "ekspor", 1)
    assert audit.keterangan["filter"] == {"pengguna": "pendamping.gambir"}


@pytest.mark.parametrize("role", ["pendamping_gambir", "tikor_jakpus", "anggota_tikor"])
def test_other_roles_are_refused_the_audit_and_temporary_access_pages(client, role, request):
    client.force_login(request.getfixturevalue(role))

    for url in (reverse("audit_list"), reverse("audit_xlsx"), reverse("akses_list")):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("akses_cabut", args=[1])).status_code == 403
    assert not AuditLog.objects.filter(objek="tikor.auditlog").exists()


def test_the_nightly_task_deletes_rows_older_than_the_retention(sekretariat, settings):
    settings.AUDIT_RETENTION_DAYS = 30
    old = logged(sekretariat, "ekspor", "penyaluran.kpm", days_ago=31)
    kept = logged(sekretariat, "ekspor", "penyaluran.kpm", days_ago=29)

    assert tasks.hapus_log_audit_lama() == 1

    assert list(AuditLog.objects.values_list("pk", flat=True)) == [kept.pk]
    assert not AuditLog.objects.filter(pk=old.pk).exists()


def test_the_retention_task_has_a_beat_entry():
    entries = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "tikor.tasks.hapus_log_audit_lama" in entries
