"""Each role sees and changes only what its area and its rights allow, in every admin page."""

import pytest
from django.urls import reverse

from penyaluran.registri.models import Agen, EWarong, Kpm, Penyedia
from tests.conftest import KEL_GAMBIR, KEL_TANAH_ABANG, KEL_TEBET
from tests.factories import AgenFactory, EWarongFactory, KpmFactory, PenyediaFactory, UserFactory
from tikor.models import AuditLog, Bank, Role


@pytest.fixture
def registry(db):
    """One of each registry row in Gambir, Tanah Abang and Tebet, named after its place."""
    rows = {}
    for place, kelurahan in (("gambir", KEL_GAMBIR), ("tanahabang", KEL_TANAH_ABANG), ("tebet", KEL_TEBET)):
        penyedia = PenyediaFactory(nama=f"PT Pangan {place}", kelurahan_id=kelurahan)
        agen = AgenFactory(nama=f"Agen {place}", kelurahan_id=kelurahan)
        ewarong = EWarongFactory(nama=f"e-Warong {place}", kelurahan_id=kelurahan, agen=agen, penyedia=penyedia)
        kpm = KpmFactory(nama=f"Ibu {place}", kelurahan_id=kelurahan, ewarong=ewarong)
        rows[place] = {"penyedia": penyedia, "agen": agen, "ewarong": ewarong, "kpm": kpm}
    return rows


def changelist(model):
    return reverse(f"admin:penyaluran_{model._meta.model_name}_changelist")


def change_url(obj):
    return reverse(f"admin:penyaluran_{obj._meta.model_name}_change", args=[obj.pk])


def listed_names(response):
    return {str(obj.nama) for obj in response.context["cl"].result_list}


REGISTRY_MODELS = [("kpm", Kpm), ("ewarong", EWarong), ("agen", Agen), ("penyedia", Penyedia)]


@pytest.mark.parametrize(("key", "model"), REGISTRY_MODELS)
def test_pendamping_gambir_sees_only_gambir_in_every_change_list(client, pendamping_gambir, registry, key, model):
    client.force_login(pendamping_gambir)

    response = client.get(changelist(model))

    assert response.status_code == 200
    assert listed_names(response) == {registry["gambir"][key].nama}


@pytest.mark.parametrize(("key", "model"), REGISTRY_MODELS)
def test_tikor_kota_sees_its_whole_kota_and_nothing_else(client, tikor_jakpus, registry, key, model):
    client.force_login(tikor_jakpus)

    response = client.get(changelist(model))

    assert listed_names(response) == {registry["gambir"][key].nama, registry["tanahabang"][key].nama}


@pytest.mark.parametrize(("key", "model"), REGISTRY_MODELS)
def test_sekretariat_sees_all_of_dki(client, sekretariat, registry, key, model):
    client.force_login(sekretariat)

    response = client.get(changelist(model))

    assert listed_names(response) == {rows[key].nama for rows in registry.values()}


def test_pendamping_gets_404_for_a_tanah_abang_kpm_on_every_page(client, pendamping_gambir, registry):
    kpm = registry["tanahabang"]["kpm"]
    client.force_login(pendamping_gambir)
    base = f"/admin/penyaluran/kpm/{kpm.pk}"

    assert client.get(f"{base}/change/").status_code == 404
    assert client.post(f"{base}/change/", {"nama": "Diubah"}).status_code == 404
    assert client.get(f"{base}/history/").status_code == 404
    assert client.get(f"{base}/delete/").status_code == 404
    kpm.refresh_from_db()
    assert kpm.nama == "Ibu tanahabang"


def test_pendamping_can_edit_a_kpm_of_its_own_area(client, pendamping_gambir, registry):
    kpm = registry["gambir"]["kpm"]
    client.force_login(pendamping_gambir)
    form = client.get(change_url(kpm)).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(nama="Ibu Gambir Baru", kelurahan=KEL_GAMBIR, bank=kpm.bank_id, ewarong=kpm.ewarong_id)

    response = client.post(change_url(kpm), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    kpm.refresh_from_db()
    assert kpm.nama == "Ibu Gambir Baru"
    assert kpm.history.first().history_user == pendamping_gambir


def test_pendamping_choices_offer_only_its_own_kelurahan_and_ewarong(client, pendamping_gambir, registry):
    client.force_login(pendamping_gambir)

    form = client.get(change_url(registry["gambir"]["kpm"])).context["adminform"].form

    kelurahan = set(form.fields["kelurahan"].queryset.values_list("kode", flat=True))
    assert kelurahan
    assert all(kode.startswith("31.71.01.") for kode in kelurahan)
    assert list(form.fields["ewarong"].queryset) == [registry["gambir"]["ewarong"]]


def test_pendamping_cannot_add_or_delete_kpm(client, pendamping_gambir, registry):
    client.force_login(pendamping_gambir)
    kpm = registry["gambir"]["kpm"]

    assert client.get(reverse("admin:penyaluran_kpm_add")).status_code == 403
    assert client.post(f"/admin/penyaluran/kpm/{kpm.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Kpm.objects.filter(pk=kpm.pk).exists()


def test_anggota_tikor_reads_but_cannot_change(client, anggota_tikor, registry):
    kpm = registry["tebet"]["kpm"]
    client.force_login(anggota_tikor)

    assert client.get(change_url(kpm)).status_code == 200
    response = client.post(change_url(kpm), {"nama": "Diubah", "nik": kpm.nik})

    assert response.status_code == 403
    kpm.refresh_from_db()
    assert kpm.nama == "Ibu tebet"


def test_anggota_tikor_sees_only_masked_nik_and_no_kk(client, anggota_tikor, registry):
    kpm = registry["gambir"]["kpm"]
    client.force_login(anggota_tikor)

    listing = client.get(changelist(Kpm)).content.decode()
    detail = client.get(change_url(kpm)).content.decode()

    masked = kpm.nik[:4] + "*" * 10 + kpm.nik[-2:]
    assert masked in listing
    assert masked in detail
    assert kpm.nik not in listing
    assert kpm.nik not in detail
    assert kpm.no_kk not in listing
    assert kpm.no_kk not in detail


def test_anggota_tikor_cannot_read_change_history_with_full_values(client, anggota_tikor, registry):
    client.force_login(anggota_tikor)

    response = client.get(f"/admin/penyaluran/kpm/{registry['gambir']['kpm'].pk}/history/")

    assert response.status_code == 403


def test_pendamping_sees_the_full_nik_on_the_page_of_a_kpm_of_its_area_only_and_it_is_logged(
    client, pendamping_gambir, registry
):
    kpm = registry["gambir"]["kpm"]
    client.force_login(pendamping_gambir)

    assert kpm.nik not in client.get(changelist(Kpm)).content.decode()
    assert kpm.nik in client.get(change_url(kpm)).content.decode()
    log = AuditLog.objects.get(aksi=AuditLog.Aksi.LIHAT)
    assert (log.pengguna, log.objek, log.keterangan["kpm"]) == (pendamping_gambir, "penyaluran.kpm", kpm.pk)


def test_bank_staff_sees_only_rows_of_its_bank(client, registry):
    bri = Bank.objects.get(kode="BRI")
    Kpm.objects.filter(pk=registry["tebet"]["kpm"].pk).update(bank=bri)
    staf_bri = UserFactory(role=Role.ANGGOTA, bank=bri)
    client.force_login(staf_bri)

    response = client.get(changelist(Kpm))

    assert listed_names(response) == {"Ibu tebet"}


def test_rows_without_a_region_are_hidden_from_area_limited_users(client, pendamping_gambir, sekretariat, registry):
    KpmFactory(nama="Tanpa wilayah", kelurahan_id=None)

    client.force_login(pendamping_gambir)
    assert "Tanpa wilayah" not in listed_names(client.get(changelist(Kpm)))
    client.force_login(sekretariat)
    assert "Tanpa wilayah" in listed_names(client.get(changelist(Kpm)))


def test_pendamping_without_an_area_sees_nothing(client, registry):
    lost = UserFactory(role=Role.PENDAMPING)
    client.force_login(lost)

    assert listed_names(client.get(changelist(Kpm))) == set()


def test_region_filters_narrow_within_the_area(client, sekretariat, registry):
    client.force_login(sekretariat)

    by_kota = client.get(changelist(Kpm), {"kota": "31.71"})
    by_kecamatan = client.get(changelist(Kpm), {"kecamatan": "31.71.07"})
    by_kelurahan = client.get(changelist(Kpm), {"kelurahan": KEL_TEBET})

    assert listed_names(by_kota) == {"Ibu gambir", "Ibu tanahabang"}
    assert listed_names(by_kecamatan) == {"Ibu tanahabang"}
    assert listed_names(by_kelurahan) == {"Ibu tebet"}


def test_pendamping_filter_choices_are_only_its_kecamatan(client, pendamping_gambir, registry):
    client.force_login(pendamping_gambir)

    response = client.get(changelist(Kpm))

    choices = {
        choice["display"]
        for spec in response.context["cl"].filter_specs
        if spec.title == "kecamatan"
        for choice in spec.choices(response.context["cl"])
    }
    assert choices == {"Semua", "Gambir"}


def test_search_finds_a_kpm_by_exact_nik(client, sekretariat, registry):
    client.force_login(sekretariat)

    response = client.get(changelist(Kpm), {"q": registry["tebet"]["kpm"].nik})

    assert listed_names(response) == {"Ibu tebet"}


def test_kpm_change_list_query_count_does_not_grow_with_rows(
    client, sekretariat, registry, django_assert_max_num_queries
):
    for _ in range(30):
        KpmFactory(kelurahan_id=KEL_GAMBIR, ewarong=registry["gambir"]["ewarong"])
    client.force_login(sekretariat)

    with django_assert_max_num_queries(12):
        response = client.get(changelist(Kpm))

    assert response.context["cl"].result_count == 33
    assert len(response.context["cl"].result_list) == 25  # a full page (KpmAdmin.list_per_page)


def filter_choices(response, title):
    cl = response.context["cl"]
    return [choice["display"] for spec in cl.filter_specs if spec.title == title for choice in spec.choices(cl)]


def test_sekretariat_drills_down_kota_then_kecamatan_then_kelurahan(client, sekretariat, registry):
    client.force_login(sekretariat)

    everything = client.get(changelist(Kpm))
    in_jakpus = client.get(changelist(Kpm), {"kota": "31.71"})
    in_gambir = client.get(changelist(Kpm), {"kecamatan": "31.71.01"})

    assert len(filter_choices(everything, "kota/kab. adm.")) == 7  # "Semua" and the 6 kota
    assert filter_choices(everything, "kecamatan") == []
    assert filter_choices(everything, "kelurahan") == []
    assert len(filter_choices(in_jakpus, "kecamatan")) == 9
    assert filter_choices(in_gambir, "kelurahan") == [
        "Semua", "Gambir", "Cideng", "Petojo Utara", "Petojo Selatan", "Kebon Kelapa", "Duri Pulo",
    ]  # fmt: skip
