"""The demo registry: penyedia, agen, e-warong and KPM, planned in memory and written in bulk."""

import math
import random
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal
from itertools import islice

from django.core.management.base import CommandError
from django.test.utils import override_settings

from monev.demo import mitra
from monev.demo.geometry import KELURAHAN_GEOJSON, load_kelurahan_shapes, random_point_in
from monev.demo.kpm import KKS_PREFIX, kpm_rows
from monev.demo.names import (
    STREETS,
    outlet_address,
    outlet_name,
    phone_number,
)
from penyaluran.registri import summary
from penyaluran.registri.models import Agen, EWarong, Kpm, Penyedia, TerminalEdc
from tikor.formatting import angka
from tikor.models import Bank, Wilayah

FULL_SCALE = {"kpm": 206_438, "ewarong": 253, "agen": 292, "penyedia": 24}
MIN_EWARONG = 6  # one per kota at the smallest scale
PLANT_MIN_KPM = 20
PLANTED = {"shared_no_kk": 2, "meninggal_attached": 3, "cross_kota": 1, "without_kks": 4, "overloaded_ewarong": 1}
BATCH_SIZE = 5000
PEDUM_CAPACITY = 250

BIG_BANKS = ("BNI", "BRI", "MANDIRI")
SMALL_BANKS = ("BTN", "BSI", "BANKDKI")
# The bank most e-warong of a kecamatan work with.
KECAMATAN_BANK_WEIGHTS = {"BNI": 40, "BRI": 33, "MANDIRI": 27}

# Relative number of poor households per kelurahan: by kota, then dense or well-off kecamatan.
KOTA_WEIGHT = {"31.01": 0.3, "31.71": 0.9, "31.72": 1.3, "31.73": 1.1, "31.74": 0.75, "31.75": 1.1}
DENSE_KECAMATAN = {
    "31.71.03",  # Kemayoran
    "31.71.08",  # Johar Baru
    "31.72.01",  # Penjaringan
    "31.72.02",  # Tanjung Priok
    "31.72.03",  # Koja
    "31.72.04",  # Cilincing
    "31.72.05",  # Pademangan
    "31.73.01",  # Cengkareng
    "31.73.04",  # Tambora
    "31.73.06",  # Kalideres
    "31.75.02",  # Pulogadung
    "31.75.03",  # Jatinegara
    "31.75.06",  # Cakung
    "31.75.07",  # Duren Sawit
}
WELL_OFF_KECAMATAN = {
    "31.71.06",  # Menteng
    "31.72.06",  # Kelapa Gading
    "31.74.02",  # Setiabudi
    "31.74.06",  # Cilandak
    "31.74.07",  # Kebayoran Baru
}
KPM_STATUS_WEIGHTS = {
    Kpm.Status.AKTIF: 965,
    Kpm.Status.NONAKTIF: 15,
    Kpm.Status.MENINGGAL: 10,
    Kpm.Status.PINDAH: 10,
}


def scaled_counts(scale):
    """Rows of each kind at a scale: round(count x scale), at least 1, at least 6 e-warong."""
    counts = {name: max(1, round(count * scale)) for name, count in FULL_SCALE.items()}
    counts["ewarong"] = max(MIN_EWARONG, counts["ewarong"])
    return counts


def registry_counts():
    return {
        "kpm": Kpm.objects.count(),
        "ewarong": EWarong.objects.count(),
        "agen": Agen.objects.count(),
        "penyedia": Penyedia.objects.count(),
    }


def _apportion(total, weights):
    """Split `total` into whole parts proportional to `weights` (largest remainder), summing exactly."""
    weight_sum = sum(weights)
    raw = [total * w / weight_sum for w in weights]
    parts = [math.floor(r) for r in raw]
    by_remainder = sorted(range(len(raw)), key=lambda i: raw[i] - parts[i], reverse=True)
    for i in by_remainder[: total - sum(parts)]:
        parts[i] += 1
    return parts


@dataclass
class Kelurahan:
    kode: str
    nama: str

    @property
    def kecamatan(self):
        return self.kode[:8]

    @property
    def kota(self):
        return self.kode[:5]

    @property
    def region_digits(self):
        """The first six NIK digits of people registered here: 31.71.01.1001 -> 317101."""
        return self.kecamatan.replace(".", "")


@dataclass
class Outlet:
    """An e-warong being planned, before it becomes a row."""

    kelurahan: int
    bank: str
    kode: str = ""
    nama: str = ""
    pemilik: str = ""
    alamat: str = ""
    telepon: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    penyedia: int | None = None
    agen: int | None = None
    status: str = EWarong.Status.AKTIF
    kapasitas: int = PEDUM_CAPACITY


@dataclass
class Planted:
    shared_no_kk: tuple = ()
    meninggal_attached: frozenset = frozenset()
    cross_kota: frozenset = frozenset()
    without_kks: frozenset = frozenset()
    overloaded: int | None = None  # outlet index


class DemoRegistry:
    """Plans the whole registry in memory (KPM as a few integers each), then writes it in bulk."""

    def __init__(self, counts, seed):
        self.counts = counts
        self.seed = seed
        self.kelurahan = [
            Kelurahan(kode, nama) for kode, nama in Wilayah.objects.kelurahan().values_list("kode", "nama")
        ]
        if not self.kelurahan:
            raise CommandError("Tabel wilayah kosong; jalankan `python manage.py migrate` dahulu.")
        self.banks = {bank.kode: bank.pk for bank in Bank.objects.filter(kode__in=KKS_PREFIX)}
        missing = sorted(set(KKS_PREFIX) - set(self.banks))
        if missing:
            raise CommandError(f"Bank belum ada di tabel bank: {', '.join(missing)}; jalankan migrate dahulu.")
        self.planted = Planted()
        self._streets = {}

    def rng(self, stage):
        """One generator per stage, so each stage's rows depend only on the seed and the stage's own inputs."""
        return random.Random(f"{self.seed}:{stage}")

    # planning

    def plan(self):
        self.kpm_per_kelurahan = self._spread_kpm()
        self.kecamatan_bank = self._kecamatan_banks()
        self.outlets = self._place_ewarong()
        self._assign_kpm()
        self._plant()
        self._set_capacity()
        self._plan_sanctions()
        self.penyedia = mitra.plan_penyedia(self)
        self.agen = mitra.plan_agen(self)

    def _spread_kpm(self):
        rng = self.rng("kelurahan")
        weights = []
        for kel in self.kelurahan:
            weight = KOTA_WEIGHT.get(kel.kota, 1.0) * rng.lognormvariate(0, 0.4)
            if kel.kecamatan in DENSE_KECAMATAN:
                weight *= 1.6
            elif kel.kecamatan in WELL_OFF_KECAMATAN:
                weight *= 0.45
            weights.append(weight)
        return _apportion(self.counts["kpm"], weights)

    def _kecamatan_banks(self):
        rng = self.rng("bank")
        banks, weights = zip(*KECAMATAN_BANK_WEIGHTS.items(), strict=True)
        return {kec: rng.choices(banks, weights)[0] for kec in sorted({k.kecamatan for k in self.kelurahan})}

    def bank_near(self, rng, kelurahan):
        """Mostly the kecamatan's bank, sometimes another big bank, now and then a small one."""
        roll = rng.random()
        if roll < 0.82:
            return self.kecamatan_bank[kelurahan.kecamatan]
        if roll < 0.94:
            return rng.choice(BIG_BANKS)
        return rng.choice(SMALL_BANKS)

    def _place_ewarong(self):
        """One e-warong per kota first, one per kecamatan when there are enough, the rest where KPM live.

        With one per kecamatan every pendamping, the demo ones included, has an outlet to monitor.
        """
        rng = self.rng("ewarong")
        weight = [max(count, 1) for count in self.kpm_per_kelurahan]
        by_kota, by_kecamatan = defaultdict(list), defaultdict(list)
        for i, kel in enumerate(self.kelurahan):
            by_kota[kel.kota].append(i)
            by_kecamatan[kel.kecamatan].append(i)

        def pick(indices):
            return rng.choices(indices, [weight[i] for i in indices])[0]

        placed = [pick(by_kota[kota]) for kota in sorted(by_kota)]
        if self.counts["ewarong"] >= len(by_kecamatan):
            for kecamatan in sorted(by_kecamatan):
                if not any(self.kelurahan[i].kecamatan == kecamatan for i in placed):
                    placed.append(pick(by_kecamatan[kecamatan]))
        anchors = Counter(placed)  # these work with their kecamatan's bank, so small scales stay plausible
        here = Counter(placed)
        everywhere = range(len(self.kelurahan))
        while len(placed) < self.counts["ewarong"]:
            # A second or third e-warong in one kelurahan gets less likely, so they spread out.
            i = rng.choices(everywhere, [weight[j] / (1 + here[j]) ** 2 for j in everywhere])[0]
            placed.append(i)
            here[i] += 1

        shapes = load_kelurahan_shapes()
        taken_names = Counter()
        per_kecamatan = Counter()
        outlets = []
        for i in sorted(placed, key=lambda i: self.kelurahan[i].kode):
            kel = self.kelurahan[i]
            per_kecamatan[kel.kecamatan] += 1
            if anchors[i]:
                anchors[i] -= 1
                bank = self.kecamatan_bank[kel.kecamatan]
            else:
                bank = self.bank_near(rng, kel)
            outlet = Outlet(kelurahan=i, bank=bank)
            outlet.kode = f"EW-{kel.region_digits}-{per_kecamatan[kel.kecamatan]:03d}"
            outlet.nama, outlet.pemilik = outlet_name(rng, taken_names)
            outlet.alamat = outlet_address(rng, self.streets_of(i))
            outlet.telepon = phone_number(rng)
            if kel.kode not in shapes:
                raise CommandError(f"Batas wilayah kelurahan {kel.kode} tidak ada di {KELURAHAN_GEOJSON.name}.")
            outlet.latitude, outlet.longitude = random_point_in(shapes[kel.kode], rng)
            outlets.append(outlet)
        return outlets

    def streets_of(self, kelurahan_index):
        if kelurahan_index not in self._streets:
            rng = self.rng(f"streets:{self.kelurahan[kelurahan_index].kode}")
            name = self.kelurahan[kelurahan_index].nama
            own = [f"{name} Raya", f"{name} Dalam", f"{name} {rng.choice(['I', 'II', 'III', 'IV'])}"]
            self._streets[kelurahan_index] = own + rng.sample(STREETS, 8)
        return self._streets[kelurahan_index]

    def _assign_kpm(self):
        """Each KPM: kelurahan, e-warong (own kelurahan, else kecamatan, else kota), status."""
        rng = self.rng("kpm-ewarong")
        in_kelurahan, in_kecamatan, in_kota = defaultdict(list), defaultdict(list), defaultdict(list)
        for j, outlet in enumerate(self.outlets):
            kel = self.kelurahan[outlet.kelurahan]
            in_kelurahan[kel.kode].append(j)
            in_kecamatan[kel.kecamatan].append(j)
            in_kota[kel.kota].append(j)
        statuses, status_weights = zip(*KPM_STATUS_WEIGHTS.items(), strict=True)
        self.kpm_kelurahan, self.kpm_outlet, self.kpm_status = [], [], []
        for i, count in enumerate(self.kpm_per_kelurahan):
            kel = self.kelurahan[i]
            nearest = in_kelurahan.get(kel.kode) or in_kecamatan.get(kel.kecamatan) or in_kota[kel.kota]
            self.kpm_kelurahan.extend([i] * count)
            self.kpm_outlet.extend(rng.choice(nearest) for _ in range(count))
            self.kpm_status.extend(rng.choices(statuses, status_weights, k=count))

    def _plant(self):
        total = len(self.kpm_status)
        aktif = Kpm.Status.AKTIF
        if self.kpm_status.count(aktif) < PLANT_MIN_KPM:
            return
        rng = self.rng("planted")
        taken = set()

        def pick():
            while True:
                i = rng.randrange(total)
                if i not in taken and self.kpm_status[i] == aktif:
                    taken.add(i)
                    return i

        # A household registered twice: two neighbours in one kelurahan, if any, on one family card.
        start = rng.randrange(total)
        pairs = [(i, i + 1) for i in (*range(start, total - 1), *range(start))]
        pairs = [p for p in pairs if self.kpm_status[p[0]] == aktif and self.kpm_status[p[1]] == aktif]
        same_place = [p for p in pairs if self.kpm_kelurahan[p[0]] == self.kpm_kelurahan[p[1]]]
        shared = (same_place or pairs)[0]
        taken.update(shared)

        meninggal = {pick() for _ in range(PLANTED["meninggal_attached"])}
        for i in meninggal:
            self.kpm_status[i] = Kpm.Status.MENINGGAL

        cross = set()
        for _ in range(PLANTED["cross_kota"]):
            i = pick()
            home = self.outlets[self.kpm_outlet[i]]
            kota = self.kelurahan[self.kpm_kelurahan[i]].kota
            away = [j for j, o in enumerate(self.outlets) if self.kelurahan[o.kelurahan].kota != kota]
            same_bank = [j for j in away if self.outlets[j].bank == home.bank]
            self.kpm_outlet[i] = rng.choice(same_bank or away)
            cross.add(i)

        without_kks = {pick() for _ in range(PLANTED["without_kks"])}
        self.planted = Planted(
            shared_no_kk=shared,
            meninggal_attached=frozenset(meninggal),
            cross_kota=frozenset(cross),
            without_kks=frozenset(without_kks),
        )

    def kpm_attached(self, i):
        """Only active KPM keep their e-warong, except the planted deceased ones."""
        return self.kpm_status[i] == Kpm.Status.AKTIF or i in self.planted.meninggal_attached

    def _set_capacity(self):
        load = Counter(self.kpm_outlet[i] for i in range(len(self.kpm_outlet)) if self.kpm_attached(i))
        for j, outlet in enumerate(self.outlets):
            outlet.kapasitas = max(PEDUM_CAPACITY, math.ceil(load[j] * 1.15 / 50) * 50)
        if self.planted.shared_no_kk:
            busiest = max(range(len(self.outlets)), key=lambda j: (load[j], -j))
            self.outlets[busiest].kapasitas = min(PEDUM_CAPACITY, max(1, load[busiest] // 2))
            self.planted.overloaded = busiest
        self.outlet_load = load

    def _plan_sanctions(self):
        """A couple of e-warong under coaching or with a written warning (never the planted one)."""
        rng = self.rng("sanksi")
        candidates = [j for j in range(len(self.outlets)) if j != self.planted.overloaded]
        n_pembinaan = round(len(self.outlets) * 0.016)
        n_teguran = round(len(self.outlets) * 0.008)
        chosen = rng.sample(candidates, min(len(candidates), n_pembinaan + n_teguran))
        for position, j in enumerate(chosen):
            self.outlets[j].status = EWarong.Status.PEMBINAAN if position < n_pembinaan else EWarong.Status.TEGURAN

    # writing

    def write(self):
        Penyedia.objects.bulk_create(
            Penyedia(
                kode=p.kode,
                nama=p.nama,
                penanggung_jawab=p.penanggung_jawab,
                npwp=p.npwp,
                alamat=p.alamat,
                kelurahan_id=self.kelurahan[p.kelurahan].kode,
                telepon=p.telepon,
            )
            for p in self.penyedia
        )
        penyedia_pk = dict(Penyedia.objects.values_list("kode", "pk"))
        Agen.objects.bulk_create(
            Agen(
                kode=a.kode,
                nama=a.nama,
                pemilik=a.pemilik,
                bank_id=self.banks[a.bank],
                alamat=a.alamat,
                kelurahan_id=self.kelurahan[a.kelurahan].kode,
                telepon=a.telepon,
                status=a.status,
            )
            for a in self.agen
        )
        agen_pk = dict(Agen.objects.values_list("kode", "pk"))
        EWarong.objects.bulk_create(
            EWarong(
                kode=o.kode,
                nama=o.nama,
                pemilik=o.pemilik,
                alamat=o.alamat,
                kelurahan_id=self.kelurahan[o.kelurahan].kode,
                bank_id=self.banks[o.bank],
                agen_id=agen_pk[self.agen[o.agen].kode] if o.agen is not None else None,
                penyedia_id=penyedia_pk[self.penyedia[o.penyedia].kode],
                latitude=o.latitude,
                longitude=o.longitude,
                kapasitas_kpm=o.kapasitas,
                status=o.status,
            )
            for o in self.outlets
        )
        outlet_pk = dict(EWarong.objects.values_list("kode", "pk"))
        self.outlet_pks = [outlet_pk[o.kode] for o in self.outlets]
        rows = kpm_rows(self)
        while batch := list(islice(rows, BATCH_SIZE)):
            Kpm.objects.bulk_create(batch)
        summary.refresh()

    def planted_summary(self):
        if self.planted.overloaded is None:
            return None
        outlet = self.outlets[self.planted.overloaded]
        return (
            f"{PLANTED['shared_no_kk']} KPM dengan No KK yang sama, "
            f"{len(self.planted.meninggal_attached)} KPM meninggal yang masih terhubung ke e-warong, "
            f"{len(self.planted.cross_kota)} KPM yang dilayani e-warong di kota lain, "
            f"{len(self.planted.without_kks)} KPM tanpa nomor KKS, "
            f"e-warong {outlet.kode} melayani {angka(self.outlet_load[self.planted.overloaded])} KPM "
            f"dengan kapasitas {angka(outlet.kapasitas)}."
        )


def delete_registry():
    """Delete KPM, e-warong, agen and penyedia in that order, in chunks, without writing history.

    What points at them (distribution, monev) is the caller's to delete first: this is demo data.
    """
    with override_settings(SIMPLE_HISTORY_ENABLED=False), summary.paused():
        TerminalEdc.objects.all().delete()  # terminals stand at e-warong and agen
        for model in (Kpm, EWarong, Agen, Penyedia):
            while pks := list(model.objects.values_list("pk", flat=True)[:BATCH_SIZE]):
                model.objects.filter(pk__in=pks).delete()
