"""Findings raised from answers, their SLA and overdue list, the sanction ladder, re-visits and complaints."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from monev.complaints import record_complaint
from monev.findings import add_action, close_action, evaluate
from monev.models import Instrumen, Keparahan, LangkahSanksi, Pengaduan, Penugasan, Temuan, TindakLanjut
from penyaluran.registri.models import EWarong
from tests.conftest import visit_payload
from tests.factories import EWarongFactory

TODAY = timezone.localdate


def send_visit(client, penugasan, **answers):
    url = reverse("monev:kunjungan_kirim", args=[penugasan.pk])
    return client.post(url, visit_payload(**answers), content_type="application/json")


def question(kode, jenis=Instrumen.Jenis.EWARONG):
    return Instrumen.objects.terbaru(jenis).pertanyaan.get(kode=kode)


def test_bundled_packages_seen_raise_a_high_finding_due_in_fourteen_days(client, penugasan_gambir):
    client.force_login(penugasan_gambir.petugas)

    response = send_visit(client, penugasan_gambir, E9="ya")

    assert response.status_code == 201
    temuan = Temuan.objects.get()
    assert temuan.judul == "Penjualan dalam bentuk paket (bundling)"
    assert (temuan.keparahan, temuan.aspek, temuan.sumber) == ("tinggi", "harga", "otomatis")
    assert temuan.ewarong == penugasan_gambir.ewarong
    assert temuan.batas_waktu == TODAY() + datetime.timedelta(days=14)


def test_cards_held_by_the_outlet_and_cash_out_raise_critical_findings(client, penugasan_gambir):
    client.force_login(penugasan_gambir.petugas)

    send_visit(client, penugasan_gambir, E8="ya", E18="ya")

    assert set(Temuan.objects.values_list("pertanyaan__kode", "keparahan")) == {("E8", "kritis"), ("E18", "kritis")}
    assert Temuan.objects.get(pertanyaan__kode="E8").batas_waktu == TODAY() + datetime.timedelta(days=3)


def test_a_visit_that_keeps_every_rule_raises_nothing_and_scores_100(client, penugasan_gambir):
    client.force_login(penugasan_gambir.petugas)

    response = send_visit(client, penugasan_gambir)

    assert response.json()["temuan"] == 0
    assert not Temuan.objects.exists()
    assert penugasan_gambir.kunjungan.get().skor_total == 100


@pytest.mark.parametrize(
    ("kode", "nilai", "expected"),
    [
        ("E11", "10900", ""),  # rice at the HET in force (Perbadan 7/2023 value)
        ("E11", "10901", "tinggi"),  # a rupiah above
        ("E12", "25300", ""),  # egg 10 % above the reference: still fine
        ("E12", "25400", "sedang"),  # more than 10 %
        ("E12", "28800", "tinggi"),  # more than 25 %
        ("E16", "975", "tinggi"),  # 2,5 % short on the scale
        ("E16", "985", ""),
        ("E20", "251", "rendah"),
        ("E15", "rusak/busuk", "tinggi"),
        ("E17", "ditentukan penyedia", "tinggi"),
    ],
)
def test_answers_are_judged_against_reference_prices_and_limits(db, kode, nilai, expected):
    scored, severity = evaluate(question(kode), nilai, TODAY())

    assert scored
    assert severity == expected


def test_the_rice_het_in_force_on_the_visit_date_applies(db):
    assert evaluate(question("E11"), "10000", datetime.date(2022, 6, 1)) == (True, "tinggi")  # HET was Rp9.450
    assert evaluate(question("E11"), "10000", datetime.date(2024, 6, 1)) == (True, "")  # HET is Rp10.900


def test_a_price_without_a_reference_set_is_not_scored(db):
    assert evaluate(question("E14"), "50000", TODAY()) == (False, "")


def test_less_benefit_than_the_monthly_amount_is_critical_in_the_household_check(db):
    assert evaluate(question("K5", Instrumen.Jenis.KPM), "150000", TODAY()) == (True, "kritis")
    assert evaluate(question("K12", Instrumen.Jenis.KPM), "5000", TODAY()) == (True, "kritis")


@pytest.fixture
def temuan_gambir(penugasan_gambir):
    return Temuan.objects.create(
        ewarong=penugasan_gambir.ewarong, judul="Harga telur di atas acuan", aspek="harga", keparahan=Keparahan.SEDANG
    )


def test_a_corrective_action_gets_its_due_date_from_the_severity_sla(temuan_gambir, sekretariat):
    action = add_action(temuan_gambir, sekretariat, uraian="Pembinaan harga", penanggung_jawab="Pendamping")

    assert action.batas_waktu == TODAY() + datetime.timedelta(days=30)
    temuan_gambir.refresh_from_db()
    assert temuan_gambir.status == Temuan.Status.DITINDAKLANJUTI


def test_overdue_actions_are_listed_only_inside_the_area(
    client, temuan_gambir, penugasan_tanah_abang, pendamping_gambir, sekretariat
):
    late = add_action(
        temuan_gambir, sekretariat, uraian="Pasang daftar harga", penanggung_jawab="Pemilik",
        batas_waktu=TODAY() - datetime.timedelta(days=1),
    )  # fmt: skip
    add_action(temuan_gambir, sekretariat, uraian="Masih ada waktu", penanggung_jawab="Pemilik")
    elsewhere = Temuan.objects.create(
        ewarong=penugasan_tanah_abang.ewarong, judul="Lain", aspek="harga", keparahan="rendah"
    )
    add_action(
        elsewhere,
        sekretariat,
        uraian="Di Tanah Abang",
        penanggung_jawab="X",
        batas_waktu=TODAY() - datetime.timedelta(days=5),
    )
    client.force_login(pendamping_gambir)

    response = client.get(reverse("monev:tindak_lanjut_terlambat"))

    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [late]
    assert late.is_overdue
    assert set(TindakLanjut.objects.terlambat()) == {late, elsewhere.tindak_lanjut.get()}


def test_a_finding_past_its_sla_is_overdue(penugasan_gambir):
    old = timezone.now() - datetime.timedelta(days=5)
    temuan = Temuan.objects.create(
        ewarong=penugasan_gambir.ewarong, judul="KKS ditahan", aspek="sasaran", keparahan="kritis", dibuat_pada=old
    )

    assert temuan.is_overdue
    assert list(Temuan.objects.terlambat()) == [temuan]


def test_a_written_reprimand_is_recorded_in_the_ewarong_status_history(client, temuan_gambir, sekretariat):
    client.force_login(sekretariat)
    url = reverse("monev:tindak_lanjut_baru", args=[temuan_gambir.pk])

    response = client.post(
        url,
        {"uraian": "Surat teguran tertulis", "penanggung_jawab": "Sekretariat", "langkah_sanksi": "teguran"},
    )

    assert response.status_code == 302
    ewarong = EWarong.objects.get(pk=temuan_gambir.ewarong_id)
    assert ewarong.status == EWarong.Status.TEGURAN
    last = ewarong.history.first()
    assert last.status == "teguran"
    assert last.history_user == sekretariat
    assert last.history_change_reason.startswith("Teguran tertulis atas temuan")
    assert ewarong.history.filter(status="aktif").exists()
    page = client.get(reverse("monev:skor_ewarong", args=[ewarong.pk])).content.decode()
    assert "Riwayat status e-warong" in page
    assert "<strong>Teguran tertulis</strong>" in page


def test_a_lower_sanction_step_never_lowers_the_ewarong_status(temuan_gambir, sekretariat):
    add_action(
        temuan_gambir, sekretariat, uraian="Rekomendasi", penanggung_jawab="S", langkah_sanksi="rekomendasi_bank"
    )
    rows = temuan_gambir.ewarong.history.count()

    add_action(temuan_gambir, sekretariat, uraian="Pembinaan", penanggung_jawab="S", langkah_sanksi="pembinaan")

    ewarong = EWarong.objects.get(pk=temuan_gambir.ewarong_id)
    assert ewarong.status == EWarong.Status.DIREKOMENDASIKAN_NONAKTIF
    assert ewarong.history.count() == rows


def test_closing_an_action_schedules_a_revisit_to_verify_it(client, penugasan_gambir, sekretariat):
    client.force_login(penugasan_gambir.petugas)
    send_visit(client, penugasan_gambir, E6="tidak")
    temuan = Temuan.objects.get()
    action = add_action(temuan, sekretariat, uraian="Pasang daftar harga", penanggung_jawab="Pemilik",
                        langkah_sanksi=LangkahSanksi.PEMBINAAN)  # fmt: skip

    revisit = close_action(action, sekretariat, "Daftar harga sudah dipasang")

    action.refresh_from_db()
    assert action.status == TindakLanjut.Status.SELESAI
    assert revisit.asal_tindak_lanjut == action
    assert (revisit.ewarong, revisit.petugas, revisit.status) == (
        penugasan_gambir.ewarong, penugasan_gambir.petugas, Penugasan.Status.TERBUKA,
    )  # fmt: skip
    assert revisit.batas_waktu == TODAY() + datetime.timedelta(days=14)


def complaint(ewarong, days_ago=0, **fields):
    received = timezone.now() - datetime.timedelta(days=days_ago)
    values = {"kanal": "sms1708", "kategori": "harga", "isi": "Harga telur mahal", "anonim": True, **fields}
    return record_complaint(Pengaduan(ewarong=ewarong, diterima_pada=received, **values), None)


def test_the_third_complaint_in_thirty_days_flags_the_outlet(penugasan_gambir):
    ewarong = penugasan_gambir.ewarong
    complaint(ewarong, days_ago=40)  # outside the window
    first = complaint(ewarong, days_ago=20)
    second = complaint(ewarong, days_ago=3)
    assert not Pengaduan.objects.berulang().exists()

    third = complaint(ewarong)

    assert third.berulang
    assert set(Pengaduan.objects.berulang()) == {first, second, third}


def test_complaints_about_other_outlets_do_not_add_up(penugasan_gambir):
    for _ in range(2):
        complaint(penugasan_gambir.ewarong)

    other = complaint(EWarongFactory(kelurahan_id=penugasan_gambir.ewarong.kelurahan_id))

    assert not other.berulang


def test_a_complaint_is_routed_to_the_pendamping_of_its_kecamatan_with_lapor_sla(
    penugasan_gambir, pendamping_gambir, pendamping_tanah_abang
):
    pengaduan = complaint(penugasan_gambir.ewarong, kanal="lapor", penanganan="cek_lapangan")

    received = timezone.localdate(pengaduan.diterima_pada)
    assert pengaduan.ditugaskan_ke == pendamping_gambir
    assert pengaduan.kelurahan_id == penugasan_gambir.ewarong.kelurahan_id
    assert pengaduan.batas_respons == received + datetime.timedelta(days=3)
    assert pengaduan.batas_selesai == received + datetime.timedelta(days=60)
    assert pengaduan.nomor.startswith("ADU-")


def test_repeat_threshold_is_a_setting(settings, penugasan_gambir):
    settings.MONEV_PENGADUAN_BERULANG_JUMLAH = 2

    complaint(penugasan_gambir.ewarong)

    assert complaint(penugasan_gambir.ewarong).berulang


def test_an_assignment_needs_someone_who_works_in_that_area(penugasan_gambir, pendamping_tanah_abang):
    from django.core.exceptions import ValidationError

    penugasan_gambir.petugas = pendamping_tanah_abang
    with pytest.raises(ValidationError, match="di luar wilayah tugas"):
        penugasan_gambir.full_clean()

    penugasan_gambir.petugas = None
    with pytest.raises(ValidationError, match="tim atau seorang petugas"):
        penugasan_gambir.full_clean()


def test_a_revisit_of_a_manual_finding_goes_to_the_kecamatan_pendamping(temuan_gambir, sekretariat, pendamping_gambir):
    action = add_action(temuan_gambir, sekretariat, uraian="Pembinaan", penanggung_jawab="Pendamping")

    revisit = close_action(action, sekretariat, "Sudah dibina")

    assert revisit.petugas == pendamping_gambir
    assert revisit.instrumen == Instrumen.objects.terbaru(Instrumen.Jenis.EWARONG)
