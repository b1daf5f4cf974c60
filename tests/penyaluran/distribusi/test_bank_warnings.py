"""What a bank-file preview must say before anything is saved, and the rollback of one saved import.

Each warning appears in the preview; a save without acknowledging it starts nothing and writes nothing; with
it, the rows are written. A rollback deletes exactly the rows its import wrote and restores every count."""

import contextlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from penyaluran.distribusi import bank_files, rekonsiliasi
from penyaluran.distribusi.models import ImporBank, Realisasi, Transaksi
from penyaluran.distribusi.periode import tutup_periode
from tests.conftest import client_for
from tests.factories import EWarongFactory, KpmFactory, bni, eager_tasks, kredit, periode
from tikor.models import AuditLog, Bank

pytestmark = pytest.mark.django_db
HEADER = "Referensi;Waktu;Jumlah;Nomor KKS;Terminal"


@pytest.fixture
def juni():
    return periode(2021, 6, manfaat=200_000)


@pytest.fixture
def world(juni):
    melati = EWarongFactory(kode="EW-317101-001")
    kpm = [KpmFactory(nomor_kks=f"600091000000{i:04d}", bank=bni(), ewarong=melati) for i in range(1, 21)]
    for one in kpm:
        kredit(juni, one)
    return {"melati": melati, "kpm": kpm}


@pytest.fixture
def staff(client, sekretariat, django_capture_on_commit_callbacks):
    client = client_for(client, sekretariat)

    @contextlib.contextmanager
    def run_jobs():
        with eager_tasks(), django_capture_on_commit_callbacks(execute=True):
            yield

    client.run_jobs = run_jobs
    return client


def purchases(world, n=20, prefix="R", time="10:00:00", amount=50_000, unknown_cards=0, outlet="EW-317101-001"):
    lines = [HEADER]
    for i in range(n):
        card = f"69999{i:011d}" if i < unknown_cards else world["kpm"][i % len(world["kpm"])].nomor_kks
        lines.append(f"{prefix}{i:03d};2021-06-{10 + i % 10:02d} {time};{amount};{card};{outlet}")
    return ("\n".join(lines) + "\n").encode()


def preview_of(staff, content, bank=None):
    with staff.run_jobs():
        staff.post(
            reverse("distribusi:impor_bank"),
            {"bank": (bank or bni()).pk, "jenis": "transaksi", "berkas": SimpleUploadedFile("f.csv", content)},
        )
    return ImporBank.objects.filter(uji_coba=True).latest("pk")


def save(staff, preview, **acknowledge):
    with staff.run_jobs():
        return staff.post(reverse("distribusi:impor_bank_simpan", args=[preview.pk]), acknowledge, follow=True)


CASES = {
    "tengah_malam": {"time": "00:00:00"},
    "kpm_tak_dikenal": {"unknown_cards": 2},
    "manfaat_penuh": {"amount": 200_000},
}


@pytest.mark.parametrize("kode", ["tengah_malam", "kpm_tak_dikenal", "manfaat_penuh", "tanpa_kredit", "bank_lain"])
def test_each_warning_must_be_read_before_anything_is_written(staff, world, juni, kode):
    bank = bni()
    if kode == "tanpa_kredit":
        juli = periode(2021, 7)
        content = purchases(world).replace(b"2021-06-", b"2021-07-")
        assert juli.pk
    elif kode == "bank_lain":
        bank = Bank.objects.get(kode="BRI")
        kredit(juni, KpmFactory(bank=bank), bank=bank)  # BRI has credits: only the outlets' bank is wrong
        content = purchases(world)
    else:
        content = purchases(world, **CASES[kode])

    preview = preview_of(staff, content, bank)
    page = staff.get(reverse("distribusi:impor_bank_detail", args=[preview.pk])).content.decode()

    assert [w["kode"] for w in preview.peringatan] == [kode]
    assert f'data-kode="{kode}"' in page
    assert 'name="peringatan_diterima"' in page
    refused = save(staff, preview)
    assert "Baca dan centang peringatan" in refused.content.decode()
    assert (Transaksi.objects.count(), ImporBank.objects.count()) == (0, 1)

    save(staff, preview, peringatan_diterima="1")
    assert Transaksi.objects.count() == 20
    write = ImporBank.objects.get(pratinjau=preview)
    assert write.peringatan_diterima
    audit = AuditLog.objects.get(aksi=AuditLog.Aksi.IMPOR)
    assert audit.keterangan["peringatan_diterima"] == [kode]


def test_a_clean_file_has_no_warning(staff, world):
    preview = preview_of(staff, purchases(world))

    assert (preview.peringatan, preview.jumlah_tanpa_outlet, preview.baris_baru) == ([], 0, 20)
    save(staff, preview)
    assert Transaksi.objects.count() == 20


def test_the_warnings_name_the_figures(world, juni, tmp_path):
    path = tmp_path / "f.csv"
    path.write_bytes(purchases(world, time="00:00:00", amount=200_000, unknown_cards=3))

    result = bank_files.import_file(bni(), "transaksi", path)

    messages = {w["kode"]: w["pesan"] for w in result.checks.warnings}
    assert set(messages) == {"tengah_malam", "kpm_tak_dikenal", "manfaat_penuh"}
    assert messages["tengah_malam"].startswith("20 dari 20 transaksi tercatat pukul 00.00")
    assert messages["kpm_tak_dikenal"].startswith("3 dari 20 baris transaksi (15,0%)")
    assert messages["manfaat_penuh"].startswith("20 dari 20 transaksi (100,0%)")


def test_a_realisation_page_warns_of_purchases_without_credits(client, sekretariat, world):
    juli = periode(2021, 7)
    from tests.factories import beli

    beli(juli, world["kpm"][0], world["melati"], jumlah=150_000)
    from penyaluran.distribusi.periode import refresh_after_import

    refresh_after_import(juli)

    page = client_for(client, sekretariat).get(reverse("distribusi:realisasi"), {"periode": juli.pk})

    assert 'data-kode="tanpa-kredit"' in page.content.decode()
    assert "Bank BNI belum mengirim data penyaluran (kredit) Juli 2021" in page.content.decode()


# --- rollback -------------------------------------------------------------------------------------------------


def snapshot():
    return (
        sorted(Transaksi.objects.values_list("bank__kode", "referensi", "jumlah", "ewarong_id", "kpm_id")),
        sorted(
            Realisasi.objects.values_list(
                "periode_id", "tingkat", "wilayah_id", "ewarong_id", "bank_id", "kpm_disalurkan",
                "jumlah_disalurkan", "jumlah_dibelanjakan", "jumlah_transaksi",
            ),
            key=str,
        ),
    )  # fmt: skip


def stored_equals_live(juni, user):
    """The stored reconciliation (counted by the import or rollback) is what the rules' SQL finds right now."""
    state, counts = rekonsiliasi.tersimpan(juni, user)
    assert counts == rekonsiliasi.ringkasan(juni, user, saldo_hari=state.saldo_hari, pada=state.per_tanggal)
    for aturan in rekonsiliasi.ATURAN:
        stored = [
            (line["baris_subjek"], line["baris_alasan"]) for line in rekonsiliasi.baris_tersimpan(aturan, juni, user)
        ]
        live = [
            (line.subjek, line.alasan)
            for line in rekonsiliasi.lines(aturan, juni, user, saldo_hari=state.saldo_hari, pada=state.per_tanggal)
        ]
        assert stored == live, aturan.kode
    return {a.kode: n for a, n in counts}


def test_a_rollback_deletes_exactly_its_rows_and_restores_every_count(staff, world, juni, sekretariat):
    first = preview_of(staff, purchases(world, n=10, prefix="A"))
    save(staff, first)
    before = snapshot()
    assert len(before[0]) == 10
    counted_before = stored_equals_live(juni, sekretariat)
    assert counted_before["saldo_mengendap"] == 20  # Rp50.000 spent of Rp200.000, by ten of twenty KPM

    # The second file repeats 10 references of the first (left alone) and brings 10 new ones.
    repeated_and_new = purchases(world, n=10, prefix="A") + purchases(world, n=10, prefix="B").split(b"\n", 1)[1]
    second = preview_of(staff, repeated_and_new)
    save(staff, second)
    write = ImporBank.objects.get(pratinjau=second)
    after_second = snapshot()
    assert (write.baris_baru, write.baris_sudah_ada, len(after_second[0])) == (10, 10, 20)
    assert after_second[1] != before[1]
    stored_equals_live(juni, sekretariat)

    page = staff.get(reverse("distribusi:impor_bank_detail", args=[write.pk])).content.decode()
    assert "Batalkan impor" in page
    unconfirmed = staff.post(reverse("distribusi:impor_bank_batalkan", args=[write.pk]), follow=True)
    assert "Centang konfirmasi" in unconfirmed.content.decode()
    assert snapshot() == after_second

    staff.post(reverse("distribusi:impor_bank_batalkan", args=[write.pk]), {"yakin": "1"})

    assert snapshot() == before  # rows, realisation by every level and bank
    assert stored_equals_live(juni, sekretariat) == counted_before  # reconciliation counted again
    write.refresh_from_db()
    assert (write.jumlah_dibatalkan, write.dibatalkan_oleh) == (10, sekretariat)
    audit = AuditLog.objects.get(keterangan__batalkan_impor_bank=write.pk)
    assert (audit.aksi, audit.jumlah_baris, audit.objek) == (AuditLog.Aksi.UBAH, 10, "penyaluran.transaksi")
    again = staff.post(reverse("distribusi:impor_bank_batalkan", args=[write.pk]), {"yakin": "1"}, follow=True)
    assert "sudah dibatalkan" in again.content.decode()

    # The same preview can now be saved again, and writes the same rows.
    save(staff, second)
    assert snapshot() == after_second


def test_a_rollback_is_refused_in_a_closed_period_and_for_other_roles(staff, world, juni, client, tikor_jakpus):
    preview = preview_of(staff, purchases(world, n=5))
    save(staff, preview)
    write = ImporBank.objects.get(pratinjau=preview)
    tutup_periode(juni)

    with pytest.raises(ValidationError, match="ditutup"):
        bank_files.rollback(write, write.dibuat_oleh)
    assert Transaksi.objects.count() == 5
    assert not AuditLog.objects.filter(keterangan__has_key="batalkan_impor_bank").exists()
    other = client_for(client, tikor_jakpus)
    assert other.post(reverse("distribusi:impor_bank_batalkan", args=[write.pk]), {"yakin": "1"}).status_code == 403
