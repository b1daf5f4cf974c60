"""The admin keeps the project's rules: NIK masked by role, workflow steps taken only by those allowed to,
labels and choices drawn from the user's area, and superuser accounts out of the secretariat's reach."""

import datetime

import pytest
from django import forms
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.test import RequestFactory
from django.urls import reverse

from monev.findings import add_action
from monev.models import Keparahan, Kunjungan, Pengaduan, Temuan, TimMonev, TindakLanjut
from tests.conftest import GAMBIR, KEL_GAMBIR, KEL_TEBET
from tests.factories import EWarongFactory, KpmFactory, UserFactory, beli, kredit, periode
from tests.scoping.conftest import submitted_visit
from tikor.admin_scoping import ScopedAdmin, ScopedRawIdWidget
from tikor.models import Role
from tikor.nik import mask_nik

TEBET = "31.74.01"


def form_data(response, **changes):
    """What the browser posts back from an admin change page, with some fields changed."""
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(field, forms.FileField):
            continue
        if isinstance(field.widget, forms.MultiWidget):
            data.update({f"{name}_{i}": part for i, part in enumerate(field.widget.decompress(value))})
        else:
            data[name] = value
    for inline in response.context["inline_admin_formsets"]:
        formset, management = inline.formset, inline.formset.management_form
        data.update({f"{management.prefix}-{name}": management[name].value() for name in management.fields})
        for row in formset.forms:
            data[f"{row.prefix}-id"] = row.instance.pk
            data[f"{row.prefix}-{formset.fk.name}"] = getattr(row.instance, formset.fk.attname)
    data.update(changes)
    return {name: "" if value is None else value for name, value in data.items()}


def save_in_admin(client, user, obj, **changes):
    """`user` saves the admin change page of `obj` with some fields changed; `obj` is read again afterwards."""
    client.force_login(user)
    url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    response = client.post(url, form_data(client.get(url), **changes))
    obj.refresh_from_db()
    return response


# --- 1. NIK masked by role on bank rows -------------------------------------------------------------------------


@pytest.fixture
def kredit_gambir(db):
    return kredit(periode(), KpmFactory(kelurahan_id=KEL_GAMBIR))


def test_anggota_tikor_reads_a_credit_with_the_nik_masked(client, anggota_tikor, kredit_gambir):
    client.force_login(anggota_tikor)

    response = client.get(reverse("admin:penyaluran_penyaluran_change", args=[kredit_gambir.pk]))

    assert response.status_code == 200
    body = response.content.decode()
    assert kredit_gambir.nik not in body
    assert mask_nik(kredit_gambir.nik) in body


def test_anggota_tikor_reads_a_credit_outside_the_registry_with_the_nik_masked(client, anggota_tikor):
    outside = kredit(periode(), None, nik="3171014506900009")
    client.force_login(anggota_tikor)

    response = client.get(reverse("admin:penyaluran_penyaluran_change", args=[outside.pk]))

    assert response.status_code == 200
    assert "3171014506900009" not in response.content.decode()
    assert "3171**********09" in response.content.decode()


def test_anggota_tikor_reads_a_purchase_with_the_nik_masked(client, anggota_tikor):
    kpm = KpmFactory(kelurahan_id=KEL_GAMBIR)
    purchase = beli(periode(), kpm, EWarongFactory(kelurahan_id=KEL_GAMBIR), nik=kpm.nik)
    client.force_login(anggota_tikor)

    response = client.get(reverse("admin:penyaluran_transaksi_change", args=[purchase.pk]))

    assert response.status_code == 200
    assert kpm.nik not in response.content.decode()
    assert mask_nik(kpm.nik) in response.content.decode()


def test_sekretariat_still_reads_and_edits_the_full_nik_of_a_credit(client, sekretariat, kredit_gambir):
    client.force_login(sekretariat)

    response = client.get(reverse("admin:penyaluran_penyaluran_change", args=[kredit_gambir.pk]))

    assert response.status_code == 200
    assert "nik" in response.context["adminform"].form.fields
    assert kredit_gambir.nik in response.content.decode()


# --- 2. Workflow steps stay in the workflow ---------------------------------------------------------------------


def test_pendamping_cannot_verify_its_own_visit_in_the_admin(client, penugasan_gambir, pendamping_gambir):
    kunjungan = submitted_visit(client, penugasan_gambir)
    other_ewarong = EWarongFactory(kelurahan_id=KEL_GAMBIR)
    other_pendamping = UserFactory(role=Role.PENDAMPING, area=[GAMBIR])

    response = save_in_admin(
        client,
        pendamping_gambir,
        kunjungan,
        status=Kunjungan.Status.TERVERIFIKASI,
        catatan_verifikasi="Sudah benar",
        ewarong=other_ewarong.pk,
        petugas=other_pendamping.pk,
    )

    assert response.status_code == 302
    assert kunjungan.status == Kunjungan.Status.DIKIRIM
    assert kunjungan.catatan_verifikasi == ""
    assert (kunjungan.ewarong, kunjungan.petugas) == (penugasan_gambir.ewarong, pendamping_gambir)


def test_sekretariat_still_sets_a_visit_status_in_the_admin(client, penugasan_gambir, sekretariat):
    kunjungan = submitted_visit(client, penugasan_gambir)

    response = save_in_admin(client, sekretariat, kunjungan, status=Kunjungan.Status.TERVERIFIKASI)

    assert response.status_code == 302
    assert kunjungan.status == Kunjungan.Status.TERVERIFIKASI


@pytest.fixture
def temuan_gambir(penugasan_gambir):
    return Temuan.objects.create(
        ewarong=penugasan_gambir.ewarong, judul="Harga telur di atas acuan", aspek="harga", keparahan=Keparahan.SEDANG
    )


def test_pendamping_cannot_close_a_temuan_in_the_admin(client, pendamping_gambir, temuan_gambir):
    response = save_in_admin(
        client, pendamping_gambir, temuan_gambir, status=Temuan.Status.SELESAI, judul="Harga telur"
    )

    assert response.status_code == 302
    assert (temuan_gambir.judul, temuan_gambir.status) == ("Harga telur", Temuan.Status.TERBUKA)


def test_pendamping_records_a_temuan_in_the_admin_as_open_and_its_own(client, pendamping_gambir, penugasan_gambir):
    client.force_login(pendamping_gambir)
    data = {
        "ewarong": penugasan_gambir.ewarong.pk,
        "judul": "Timbangan rusak",
        "aspek": "jumlah",
        "keparahan": Keparahan.SEDANG,
        "status": Temuan.Status.SELESAI,
        "sumber": Temuan.Sumber.OTOMATIS,
        "dibuat_pada_0": "2026-01-05",
        "dibuat_pada_1": "10:00:00",
    }

    response = client.post(reverse("admin:monev_temuan_add"), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    temuan = Temuan.objects.get(judul="Timbangan rusak")
    assert (temuan.status, temuan.sumber, temuan.dibuat_oleh) == (
        Temuan.Status.TERBUKA,
        Temuan.Sumber.MANUAL,
        pendamping_gambir,
    )


def test_pendamping_cannot_close_a_tindak_lanjut_in_the_admin(client, pendamping_gambir, temuan_gambir, sekretariat):
    action = add_action(temuan_gambir, sekretariat, uraian="Pembinaan harga", penanggung_jawab="Pemilik")

    response = save_in_admin(
        client, pendamping_gambir, action, status=TindakLanjut.Status.SELESAI, catatan_penutupan="Beres"
    )

    assert response.status_code == 302
    assert (action.status, action.catatan_penutupan) == (TindakLanjut.Status.DIRENCANAKAN, "")


def test_pendamping_cannot_add_a_tindak_lanjut_already_closed(client, pendamping_gambir, temuan_gambir):
    client.force_login(pendamping_gambir)
    data = {
        "temuan": temuan_gambir.pk,
        "uraian": "Pasang daftar harga",
        "penanggung_jawab": "Pemilik",
        "batas_waktu": "",
        "status": TindakLanjut.Status.SELESAI,
        "langkah_sanksi": "",
    }

    response = client.post(reverse("admin:monev_tindaklanjut_add"), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert TindakLanjut.objects.get(temuan=temuan_gambir).status == TindakLanjut.Status.DIRENCANAKAN


def test_sekretariat_still_closes_a_temuan_in_the_admin(client, sekretariat, temuan_gambir):
    response = save_in_admin(client, sekretariat, temuan_gambir, status=Temuan.Status.SELESAI)

    assert response.status_code == 302
    assert temuan_gambir.status == Temuan.Status.SELESAI


# --- 3. Raw-id labels come from the user's area -----------------------------------------------------------------


def test_pendamping_cannot_read_a_tebet_kpm_through_a_raw_id_label(client, pendamping_gambir):
    tebet = KpmFactory(nama="Ibu Rahasia Tebet", kelurahan_id=KEL_TEBET)
    client.force_login(pendamping_gambir)
    leaked = ("Ibu Rahasia Tebet", reverse("admin:penyaluran_kpm_change", args=[tebet.pk]))

    on_get = client.get(reverse("admin:monev_pengaduan_add") + f"?kpm={tebet.pk}")
    on_post = client.post(reverse("admin:monev_pengaduan_add"), {"kpm": tebet.pk, "kanal": "sms1708"})

    assert on_get.status_code == on_post.status_code == 200
    for response in (on_get, on_post):
        assert not any(text in response.content.decode() for text in leaked)
    assert not Pengaduan.objects.exists()


def test_pendamping_reads_the_label_of_a_gambir_kpm(client, pendamping_gambir):
    gambir = KpmFactory(nama="Ibu Melati Gambir", kelurahan_id=KEL_GAMBIR)
    client.force_login(pendamping_gambir)

    response = client.get(reverse("admin:monev_pengaduan_add") + f"?kpm={gambir.pk}")

    assert "Ibu Melati Gambir" in response.content.decode()


def test_every_raw_id_field_of_a_scoped_admin_looks_its_label_up_in_the_area(pendamping_gambir):
    request = RequestFactory().get("/admin/")
    request.user = pendamping_gambir
    checked = 0
    for model, model_admin in admin.site._registry.items():
        if not isinstance(model_admin, ScopedAdmin):
            continue
        for name in model_admin.raw_id_fields:
            field = model_admin.formfield_for_dbfield(model._meta.get_field(name), request)
            assert isinstance(field.widget, ScopedRawIdWidget), f"{model.__name__}.{name}"
            checked += 1
    assert checked >= 10


# --- 4. The secretariat cannot take over a superuser -------------------------------------------------------------


@pytest.fixture
def root(db):
    return UserFactory(username="root", role=Role.SEKRETARIAT, is_superuser=True)


NEW_PASSWORD = {"password1": "Baru-sekali-123!x", "password2": "Baru-sekali-123!x", "usable_password": "true"}


def test_sekretariat_cannot_change_a_superuser_password(client, sekretariat, root):
    client.force_login(sekretariat)

    response = client.post(reverse("admin:auth_user_password_change", args=[root.pk]), NEW_PASSWORD)

    assert response.status_code == 403
    root.refresh_from_db()
    assert not root.check_password(NEW_PASSWORD["password1"])


def test_sekretariat_cannot_edit_or_delete_a_superuser(client, sekretariat, root):
    client.force_login(sekretariat)

    edit = client.post(reverse("admin:tikor_user_change", args=[root.pk]), {"username": "root", "is_active": ""})
    delete = client.post(reverse("admin:tikor_user_delete", args=[root.pk]), {"post": "yes"})
    bulk = client.post(
        reverse("admin:tikor_user_changelist"),
        {"action": "delete_selected", "_selected_action": [root.pk], "post": "yes"},
    )

    assert (edit.status_code, delete.status_code, bulk.status_code) == (403, 403, 403)
    root.refresh_from_db()
    assert root.is_active


def test_sekretariat_still_resets_a_pendamping_password(client, sekretariat, pendamping_gambir):
    client.force_login(sekretariat)

    response = client.post(reverse("admin:auth_user_password_change", args=[pendamping_gambir.pk]), NEW_PASSWORD)

    assert response.status_code == 302
    pendamping_gambir.refresh_from_db()
    assert pendamping_gambir.check_password(NEW_PASSWORD["password1"])


def test_a_superuser_resets_another_superuser_password(client, root):
    other = UserFactory(username="root2", is_superuser=True)
    client.force_login(root)

    response = client.post(reverse("admin:auth_user_password_change", args=[other.pk]), NEW_PASSWORD)

    assert response.status_code == 302


# --- 5. Account choices stay inside the area ---------------------------------------------------------------------


@pytest.fixture
def people(sekretariat, pendamping_gambir, pendamping_tanah_abang, tikor_jakpus):
    """Who works where: Gambir and Tanah Abang in Jakarta Pusat, Tebet in Jakarta Selatan."""
    return {
        "sekretariat": sekretariat,
        "gambir": pendamping_gambir,
        "gambir_kedua": UserFactory(username="pendamping.gambir2", role=Role.PENDAMPING, area=[GAMBIR]),
        "tanah_abang": pendamping_tanah_abang,
        "jakpus": tikor_jakpus,
        "tebet": UserFactory(username="pendamping.tebet", role=Role.PENDAMPING, area=[TEBET]),
    }


def may_add_teams(user):
    user.user_permissions.add(Permission.objects.get(codename="add_timmonev"))


def offered(response, field):
    return {user.username for user in response.context["adminform"].form.fields[field].queryset}


def test_pendamping_is_offered_only_accounts_working_in_its_area(client, people):
    may_add_teams(people["gambir"])
    client.force_login(people["gambir"])

    response = client.get(reverse("admin:monev_timmonev_add"))

    assert response.status_code == 200
    expected = {"sekretariat", "pendamping.gambir", "pendamping.gambir2", "tikor.jakpus"}
    assert offered(response, "ketua") == offered(response, "anggota") == expected


def test_pendamping_cannot_name_a_tebet_account_as_team_leader(client, people):
    may_add_teams(people["gambir"])
    client.force_login(people["gambir"])

    data = {"nama": "Tim Gambir", "wilayah": GAMBIR, "ketua": people["tebet"].pk, "anggota": [people["tebet"].pk]}
    data.update({"tahun": datetime.date.today().year, "aktif": "on"})
    response = client.post(reverse("admin:monev_timmonev_add"), data)

    assert response.status_code == 200
    assert not TimMonev.objects.exists()


def test_pendamping_cannot_assign_a_complaint_to_a_tebet_account(client, people, penugasan_gambir):
    client.force_login(people["gambir"])
    data = {
        "kanal": "sms1708",
        "kategori": "harga",
        "penanganan": "informasi",
        "isi": "Harga beras mahal",
        "ewarong": penugasan_gambir.ewarong.pk,
        "diterima_pada_0": "2026-01-05",
        "diterima_pada_1": "10:00:00",
        "status": "baru",
        "ditugaskan_ke": people["tebet"].pk,
    }

    response = client.post(reverse("admin:monev_pengaduan_add"), data)

    assert response.status_code == 200
    assert "pendamping.tebet" not in response.content.decode()
    assert not Pengaduan.objects.exists()


def test_sekretariat_is_offered_every_account(client, people):
    client.force_login(people["sekretariat"])

    response = client.get(reverse("admin:monev_timmonev_add"))

    assert offered(response, "ketua") == {user.username for user in people.values()}


def test_a_read_only_role_runs_no_admin_action_and_its_posts_to_reading_pages_are_refused(
    client, anggota_tikor, sekretariat
):
    """Django offers an action without `permissions` to anyone who may view the list: an anggota could publish or
    copy an instrument that way. Now it may not, and the admin's reading pages refuse its POSTs."""
    from monev.models import Instrumen

    instrumen = Instrumen.objects.terbaru(Instrumen.Jenis.EWARONG)
    changelist = reverse("admin:monev_instrumen_changelist")
    copy = {"action": "buat_versi_baru", "_selected_action": [instrumen.pk], "index": 0}
    before = Instrumen.objects.count()

    client.force_login(anggota_tikor)
    refused = [
        client.post(changelist, copy).status_code,
        client.post(reverse("admin:monev_instrumen_history", args=[instrumen.pk])).status_code,
        client.post(reverse("admin:index")).status_code,
        client.post(reverse("admin:app_list", args=["monev"])).status_code,
    ]
    read = client.get(changelist)

    assert refused == [403, 405, 405, 405]
    assert Instrumen.objects.count() == before
    assert read.status_code == 200
    assert "buat_versi_baru" not in read.content.decode()

    client.force_login(sekretariat)
    done = client.post(changelist, copy)
    assert done.status_code == 302
    assert Instrumen.objects.count() == before + 1


def test_every_admin_action_of_the_project_names_the_permission_it_needs():
    """An action without `permissions` is offered to every role that may view the list (see above)."""
    own = ("tikor", "monev", "penyaluran")
    loose = [
        f"{type(model_admin).__name__}.{name}"
        for model_admin in admin.site._registry.values()
        if type(model_admin).__module__.split(".")[0] in own
        for func, name, _description in model_admin._get_base_actions()
        if not getattr(func, "allowed_permissions", None)
    ]
    assert loose == []
