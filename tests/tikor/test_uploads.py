"""Every upload form refuses a file over its size limit, with one validator and limits in settings."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from monev.forms import TindakLanjutForm
from penyaluran.distribusi.models import ImporBank
from penyaluran.registri.models import ImportJob
from tests.conftest import client_for
from tikor.models import Bank
from tikor.uploads import MB, document_upload_size, import_upload_size

TOO_LARGE = "Ukuran berkas 1,5 MB melebihi batas 1 MB; perkecil berkasnya atau bagi menjadi beberapa berkas."


def oversized(name="kpm.xlsx"):
    return SimpleUploadedFile(name, b"x" * (MB * 3 // 2))


def test_an_upload_over_the_limit_is_refused_with_its_size_and_the_limit(settings):
    settings.IMPORT_UPLOAD_MAX_MB = 1

    with pytest.raises(ValidationError) as refused:
        import_upload_size(oversized())
    import_upload_size(SimpleUploadedFile("kpm.xlsx", b"x" * MB))  # exactly at the limit

    assert refused.value.messages == [TOO_LARGE]


def test_the_help_text_follows_the_setting(settings):
    settings.DOCUMENT_UPLOAD_MAX_MB = 7

    assert str(document_upload_size.help_text) == "Paling besar 7 MB."


@pytest.mark.django_db
def test_the_secretariat_is_told_a_registry_file_is_too_large(client, sekretariat, settings):
    settings.IMPORT_UPLOAD_MAX_MB = 1

    response = client_for(client, sekretariat).post(
        reverse("penyaluran:impor"), {"jenis": "kpm", "berkas": oversized()}
    )

    assert response.status_code == 200
    assert TOO_LARGE in response.content.decode()
    assert not ImportJob.objects.exists()


@pytest.mark.django_db
def test_the_secretariat_is_told_a_bank_file_is_too_large(client, sekretariat, settings):
    settings.IMPORT_UPLOAD_MAX_MB = 1
    bank = Bank.objects.get(kode="BNI")

    response = client_for(client, sekretariat).post(
        reverse("distribusi:impor_bank"), {"bank": bank.pk, "jenis": "transaksi", "berkas": oversized("bni.csv")}
    )

    assert response.status_code == 200
    assert TOO_LARGE in response.content.decode()
    assert not ImporBank.objects.exists()


@pytest.mark.django_db
def test_evidence_of_a_corrective_action_over_the_limit_is_refused(sekretariat, settings):
    settings.DOCUMENT_UPLOAD_MAX_MB = 1

    form = TindakLanjutForm(
        {"uraian": "Teguran tertulis", "penanggung_jawab": "Pendamping"},
        {"bukti": oversized("bukti.pdf")},
        user=sekretariat,
    )

    assert form.errors["bukti"] == [TOO_LARGE]


@pytest.mark.django_db
def test_a_document_over_the_limit_is_refused_in_the_admin(client, settings, tmp_path):
    from monev.models import Dokumen
    from tests.factories import UserFactory
    from tikor.models import Role

    settings.DOCUMENT_UPLOAD_MAX_MB, settings.MEDIA_ROOT = 1, tmp_path
    admin = UserFactory(username="admin", role=Role.SEKRETARIAT, is_superuser=True, is_staff=True)
    form = {"jenis": "juknis", "judul": "Juknis Sembako 2021", "versi": "1", "berlaku_mulai": "2021-01-01"}
    form["berkas"] = oversized("juknis.pdf")

    page = client_for(client, admin).post(reverse("admin:monev_dokumen_add"), form)

    assert page.status_code == 200  # the form again, with the reason
    assert TOO_LARGE in page.content.decode()
    assert not Dokumen.objects.exists()
