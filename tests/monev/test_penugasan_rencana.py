"""The secretariat plans visits for many e-warong at once: those without a pendamping and those already assigned
are skipped and named, and the database refuses a second open assignment whatever makes it."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from monev.models import Instrumen, Penugasan, SkorRisiko
from tests.conftest import KEL_GAMBIR, KEL_TANAH_ABANG, KEL_TEBET
from tests.factories import EWarongFactory, periode


def plan(client, ewarong, **fields):
    data = {
        "ewarong": [e.pk for e in ewarong],
        "instrumen": Instrumen.objects.terbaru(Instrumen.Jenis.EWARONG).pk,
        "batas_waktu": (timezone.localdate() + datetime.timedelta(days=14)).isoformat(),
        "jumlah_sampel_kpm": 5,
        **fields,
    }
    return client.post(reverse("monev:penugasan_rencana"), data, follow=True)


@pytest.fixture
def outlets(db):
    return {
        "gambir": EWarongFactory(nama="e-Warong Melati", kelurahan_id=KEL_GAMBIR),
        "tanah_abang": EWarongFactory(nama="e-Warong Mawar", kelurahan_id=KEL_TANAH_ABANG),
        "tebet": EWarongFactory(nama="e-Warong Kenanga", kelurahan_id=KEL_TEBET),
    }


def test_ewarong_without_a_pendamping_are_skipped_and_named_the_rest_assigned(
    client, sekretariat, pendamping_gambir, pendamping_tanah_abang, outlets
):
    client.force_login(sekretariat)

    response = plan(client, outlets.values())

    assert dict(Penugasan.objects.values_list("ewarong", "petugas")) == {
        outlets["gambir"].pk: pendamping_gambir.pk,
        outlets["tanah_abang"].pk: pendamping_tanah_abang.pk,
    }
    html = response.content.decode()
    assert "2 penugasan dibuat." in html
    assert "1 e-warong dilewati karena kecamatannya belum punya pendamping" in html
    assert f"{outlets['tebet'].kode} e-Warong Kenanga" in html


def test_a_second_open_assignment_for_the_same_ewarong_and_instrument_is_refused(
    client, sekretariat, pendamping_gambir, outlets
):
    client.force_login(sekretariat)
    plan(client, [outlets["gambir"]])

    response = plan(client, [outlets["gambir"]])

    assert Penugasan.objects.filter(ewarong=outlets["gambir"]).count() == 1
    html = response.content.decode()
    assert "Tidak ada penugasan yang dibuat." in html
    assert "masih punya penugasan terbuka dengan instrumen yang sama" in html


def test_a_finished_assignment_does_not_block_the_next_one(client, sekretariat, pendamping_gambir, outlets):
    client.force_login(sekretariat)
    plan(client, [outlets["gambir"]])
    Penugasan.objects.update(status=Penugasan.Status.SELESAI)

    plan(client, [outlets["gambir"]])

    assert Penugasan.objects.filter(ewarong=outlets["gambir"], status="terbuka").count() == 1


def test_the_database_refuses_a_second_open_assignment_made_without_the_planner(pendamping_gambir, outlets):
    instrumen = Instrumen.objects.terbaru(Instrumen.Jenis.EWARONG)
    fields = {"ewarong": outlets["gambir"], "instrumen": instrumen, "petugas": pendamping_gambir}
    Penugasan.objects.create(batas_waktu=timezone.localdate(), **fields)

    second = Penugasan(batas_waktu=timezone.localdate() + datetime.timedelta(days=3), **fields)
    with pytest.raises(ValidationError, match="sudah punya penugasan terbuka"):
        second.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()


def test_the_planner_filters_by_area_and_risk_and_ticks_from_the_profile(client, sekretariat, outlets):
    SkorRisiko.objects.create(ewarong=outlets["tebet"], periode=periode(2021, 6), skor=90, alasan=[])
    client.force_login(sekretariat)

    by_area = client.get(reverse("monev:penugasan_rencana"), {"kecamatan": "31.71.07"})
    by_risk = client.get(reverse("monev:penugasan_rencana"), {"risiko": "tinggi"})
    from_profile = client.get(
        reverse("monev:penugasan_rencana"), {"q": outlets["gambir"].kode, "ewarong": outlets["gambir"].pk}
    )

    assert [e.nama for e in by_area.context["ewarong"]] == ["e-Warong Mawar"]
    assert [e.nama for e in by_risk.context["ewarong"]] == ["e-Warong Kenanga"]
    assert [e.dicentang for e in from_profile.context["ewarong"]] == [True]
    assert "Tanpa pendamping" in by_risk.content.decode()


def test_nothing_ticked_is_refused_with_a_message(client, sekretariat, outlets):
    client.force_login(sekretariat)

    response = plan(client, [])

    assert "Centang sedikitnya satu e-warong." in response.content.decode()
    assert not Penugasan.objects.exists()


def test_pendamping_cannot_plan_outside_its_area_or_at_all(client, pendamping_gambir, outlets):
    client.force_login(pendamping_gambir)

    assert plan(client, [outlets["tebet"]]).status_code == 403
    assert not Penugasan.objects.exists()


def test_deleting_a_finding_cancels_its_open_revisit_beside_the_routine_assignment(pendamping_gambir, outlets):
    from monev.models import Temuan, TindakLanjut

    instrumen = Instrumen.objects.terbaru(Instrumen.Jenis.EWARONG)
    due = timezone.localdate() + datetime.timedelta(days=7)
    routine = Penugasan.objects.create(
        ewarong=outlets["gambir"], instrumen=instrumen, petugas=pendamping_gambir, batas_waktu=due
    )
    temuan = Temuan.objects.create(
        ewarong=outlets["gambir"], judul="Papan nama", aspek="administrasi", keparahan="rendah"
    )
    action = TindakLanjut.objects.create(temuan=temuan, uraian="Pasang papan", penanggung_jawab="Pemilik")
    revisit = Penugasan.objects.create(
        ewarong=outlets["gambir"], instrumen=instrumen, petugas=pendamping_gambir, batas_waktu=due,
        asal_tindak_lanjut=action,
    )  # fmt: skip

    temuan.delete()

    revisit.refresh_from_db()
    assert (revisit.status, revisit.asal_tindak_lanjut) == (Penugasan.Status.BATAL, None)
    assert Penugasan.objects.get(pk=routine.pk).status == Penugasan.Status.TERBUKA


def test_the_planner_lists_the_riskiest_first_then_the_never_visited(client, sekretariat, outlets):
    p = periode(2021, 6)
    SkorRisiko.objects.create(ewarong=outlets["tebet"], periode=p, skor=90, alasan=[])
    SkorRisiko.objects.create(ewarong=outlets["tanah_abang"], periode=p, skor=45, alasan=[])
    client.force_login(sekretariat)

    response = client.get(reverse("monev:penugasan_rencana"))

    assert [e.nama for e in response.context["ewarong"]] == ["e-Warong Kenanga", "e-Warong Mawar", "e-Warong Melati"]
