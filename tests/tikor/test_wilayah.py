from django.db.models import Count

from tikor.models import Tingkat, Wilayah


def test_all_318_dki_regions_are_loaded_by_level(db):
    counts = dict(Wilayah.objects.values_list("tingkat").annotate(n=Count("kode")))

    assert Wilayah.objects.count() == 318
    assert counts == {Tingkat.PROVINSI: 1, Tingkat.KOTA: 6, Tingkat.KECAMATAN: 44, Tingkat.KELURAHAN: 267}


def test_each_kota_has_the_kecamatan_count_of_the_sources(db):
    per_kota = dict(Wilayah.objects.kecamatan().values_list("induk").annotate(n=Count("kode")))

    assert per_kota == {"31.01": 2, "31.71": 8, "31.72": 6, "31.73": 8, "31.74": 10, "31.75": 10}


def test_codes_names_and_parents_follow_kemendagri(db):
    gambir = Wilayah.objects.get(kode="31.71.01.1001")

    assert (gambir.nama, gambir.induk.nama, gambir.induk.induk.nama_singkat) == ("Gambir", "Gambir", "Jakarta Pusat")
    assert Wilayah.objects.get(kode="31.74").nama_singkat == "Jakarta Selatan"
    assert Wilayah.objects.get(kode="31.01").nama_singkat == "Kepulauan Seribu"


def test_every_kelurahan_has_a_postal_code(db):
    assert not Wilayah.objects.kelurahan().filter(kodepos="").exists()
    assert Wilayah.objects.get(kode="31.72.03.1001").kodepos == "14210"


def test_a_code_prefix_is_a_subtree(db):
    jakpus = Wilayah.objects.under("31.71")

    assert jakpus.count() == 1 + 8 + 44
    assert not jakpus.filter(kode__startswith="31.74").exists()
