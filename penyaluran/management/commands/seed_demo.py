"""Load a synthetic registry the size of DKI Jakarta's in 2021, and the demo users: `manage.py seed_demo`.

At --scale 1 (the default) it loads the figures of the Tikor meeting of 22 Sep 2021: 206.438 KPM,
253 e-warong, 292 agen and 24 penyedia. --scale F loads round(count x F) of each, at least 1, and at
least 6 e-warong so that every kota has one. The same --seed and --scale give the same rows.

The rows keep the rules of a clean registry, so only these planted ones break them (planted when
there are at least 20 active KPM; in brackets the check that should find them):
- two KPM share one No KK; every other KPM has its own [duplicate No KK];
- three KPM have status meninggal and still an e-warong; the other nonaktif, meninggal and pindah
  KPM have none [deceased KPM still served];
- one KPM is served by an e-warong in another kota; everyone else in their own kelurahan if it has
  an e-warong, else their kecamatan, else their kota [KPM served far from home];
- four KPM have no KKS number; every other KPM has a unique one that starts with its bank's prefix
  (KKS_PREFIX) [KKS never issued];
- the busiest e-warong serves far more KPM than its kapasitas_kpm, min(250, its KPM // 2), over
  800 KPM for 250 at full scale; every other e-warong's capacity covers its KPM [over capacity].
DKI had 816 KPM per e-warong on average, far above the Pedum's 250, so each e-warong's capacity is
set from its own load (rounded up to 50, with room to spare, at least 250); at 250 everywhere every
e-warong would be over capacity and the planted one would not stand out.

With --periode N (default 12) it then fills the months January..N of 2021, when no period exists yet: each
active KPM with a KKS is credited Rp200.000 on the 5th and spends it in one to three purchases at its own
e-warong between 07:00 and 21:00 (8/47/45 %); 5 % spend only part and 2 % nothing; 0,3 % of credits fail.
The last two months stay open, the earlier ones are closed. About 2,4 purchases per KPM a month: some
5,9 million purchases and 2,4 million credits at full scale, written with COPY on PostgreSQL. Planted for
reconciliation every month: two credits for NIKs outside the registry, one KPM credited twice, one
credited Rp150.000, three purchases on a terminal no e-warong owns; the KPM without KKS are credited
with status "kartu belum dibagikan"; the registry's three deceased KPM are credited and never spend.
Planted e-warong, each in its own kecamatan, never the over-capacity one, as many as the e-warong count
allows while two stay ordinary (3 at --scale 0.02, all 7 at full scale), in this order (DemoDistribusi):
- gesek_kolektif: every KPM buys once, the full balance, in bursts of 25 cards within five minutes
  [collective swiping; full balance in one purchase];
- malam: 70 % of purchases between 22:00 and 05:00 [outside hours];
- jauh: 40 KPM living in another kota buy only here [far from home];
- tidak_aktif: 12 nonaktif/meninggal/pindah KPM are credited and buy here [inactive KPM buying; credit
  for inactive KPM];
- banyak_outlet: 10 of its KPM use their card here and at three other e-warong [one card, many outlets];
- realisasi_rendah: 80 % of its KPM never spend [very low realisation; idle balance];
- sebelum_kartu: 25 of its KPM buy although the bank reports their KKS as not handed out [before card].
The busiest e-warong of the registry is over capacity [over capacity]. The command prints the codes.

Every run, also with --if-empty, creates or updates the demo users (tikor.accounts) and prints their
logins. Passwords are fresh and random on each run unless DEMO_PASSWORD is set.
"""

import datetime
import json
import math
import os
import random
import secrets
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal
from itertools import islice
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Count, F, ProtectedError, Q, RestrictedError
from django.test.utils import override_settings

import tikor
from monev.models import SkorRisiko
from penyaluran.distribusi import partitions
from penyaluran.distribusi.models import Penyaluran, Periode, Realisasi, Transaksi
from penyaluran.registri.models import Agen, EWarong, Kpm, Penyedia
from penyaluran.risiko.models import SinyalRisiko
from tikor.accounts import create_or_update_user
from tikor.models import Bank, Role, Wilayah

KELURAHAN_GEOJSON = Path(tikor.__file__).resolve().parent / "data" / "kelurahan_dki.geojson"

FULL_SCALE = {"kpm": 206_438, "ewarong": 253, "agen": 292, "penyedia": 24}
MIN_EWARONG = 6  # one per kota at the smallest scale
PLANT_MIN_KPM = 20
PLANTED = {"shared_no_kk": 2, "meninggal_attached": 3, "cross_kota": 1, "without_kks": 4, "overloaded_ewarong": 1}
BATCH_SIZE = 5000
DATA_DATE = datetime.date(2021, 9, 22)  # the Tikor meeting the figures come from; ages are counted to it
SUMBER_DATA = "DTKS Kemensos"
TAHUN_DATA = 2021
PEDUM_CAPACITY = 250

# Synthetic card prefixes: "60", the bank's BI clearing code, "1". A KKS number is prefix + 9 digits + Luhn digit.
KKS_PREFIX = {
    "BNI": "600091",
    "BRI": "600021",
    "MANDIRI": "600081",
    "BTN": "602001",
    "BSI": "604511",
    "BANKDKI": "601111",
}
AGEN_CODE_PREFIX = {
    "BNI": "BNI46",
    "BRI": "BRILINK",
    "MANDIRI": "MDRAGEN",
    "BTN": "BTNAGEN",
    "BSI": "BSIAGEN",
    "BANKDKI": "DKIAGEN",
}
AGEN_BRAND = {
    "BNI": "Agen46",
    "BRI": "BRILink",
    "MANDIRI": "Mandiri Agen",
    "BTN": "Agen BTN",
    "BSI": "BSI Agen",
    "BANKDKI": "Agen Bank DKI",
}
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


def _words(text, sep=None):
    """A word list written as one string, so a hundred names fit in a few lines."""
    return tuple(text.split(sep))


MALE_GIVEN = _words(
    "Abdul Ade Agus Ahmad Andi Arif Asep Bambang Budi Cecep Dadang Dedi Deni Dimas Dodi Eko Endang Fajar "
    "Firman Hadi Haris Hendra Heri Imam Irfan Ismail Iwan Jajang Joko Lukman Mamat Muhammad Mukhtar Nanang "
    "Rahmat Ridwan Rizki Rohmat Rudi Saiful Samsul Teguh Ujang Usman Wahyu Yusuf Zainal"
)
MALE_SECOND = _words(
    "Effendi Fauzi Firmansyah Gunawan Hakim Hasan Hermawan Hidayat Hidayatullah Kurniawan Kusnadi Maulana "
    "Nugroho Permana Prasetyo Pratama Rahman Ramadhan Rosadi Santoso Saputra Setiawan Sobirin Sudrajat "
    "Suherman Susanto Sutisna Syahputra Wibowo Wijaya"
)
MALE_SINGLE = _words(
    "Darto Jaelani Junaedi Marzuki Mulyadi Rojali Sabeni Sanusi Slamet Sugeng Sukardi Sumarno Suparman "
    "Supriyadi Suryadi Tono Udin Yanto"
)
FEMALE_GIVEN = _words(
    "Aisyah Ani Ayu Cucu Dewi Dian Endah Entin Eti Euis Fatimah Fitri Halimah Ika Imas Indah Iis Lilis Lina "
    "Maryam Mimin Neneng Nining Novi Nur Ratih Ratna Rina Rini Sari Siti Sri Tuti Wulan Yanti Yati Yuyun"
)
FEMALE_SECOND = _words(
    "Aminah Anggraini Fitriani Handayani Hasanah Herlina Komariah Kurniasih Kusumawati Lestari Marlina "
    "Maryati Mulyani Ningsih Nurjanah Oktaviani Permatasari Purnamasari Puspitasari Rahmawati Rohmah "
    "Rukmini Safitri Setiawati Sholihah Suryani Susanti Wahyuni Wulandari Yuliani"
)
FEMALE_SINGLE = _words(
    "Juleha Kartini Mumun Murni Nurhayati Painem Partini Romlah Saodah Sukaesih Sulastri Sumiati Suminah "
    "Sutinah Tukinem Zubaedah"
)
FAMILY_NAMES = _words(
    "Damanik Harahap Hutagalung Hutapea Latuconsina Lubis Lumenta Manullang Manurung Nainggolan Nasution "
    "Panjaitan Pardede Pasaribu Rumengan Saragih Sihombing Simanjuntak Simatupang Sinaga Siregar Sitompul "
    "Situmorang Tambunan Tampubolon Tanjung Halim Kusuma"
)
STREETS = _words(
    "Kebon Sirih|Kramat Sentiong|Swadaya|Haji Ung|Kemuning|Kenari|Manggis|Rambutan|Delima|Jambu|Duku|"
    "Belimbing|Sawo|Pisang Batu|Bambu Kuning|Masjid Al-Ikhlas|Mushola|Kampung Melayu Kecil|Pedongkelan|"
    "Kebon Kacang|Kali Baru|Rawa Bebek|Warakas|Sungai Bambu|Tanah Merah|Kampung Bali|Anggrek|Cempaka|"
    "Kenanga|Dahlia|Flamboyan|Teratai|Seroja|Asem|Waru|Beringin|Mangga|Nangka|Salak|Kelapa|Pinang|"
    "Haji Naman|Haji Saidi|Haji Murtado|Pendidikan|Pemuda|Karya|Bakti|Persatuan|Perintis|Lontar|Inpres|"
    "Bina Marga|Pengairan|Sumur Batu|Pulo Raya|Rawa Sari|Balai Rakyat|Gotong Royong",
    sep="|",
)
FLOWERS = _words("Melati Mawar Anggrek Kenanga Cempaka Dahlia Flamboyan Teratai Seroja Kamboja Bougenville Tulip")
VIRTUES = _words("Berkah Barokah Sejahtera Makmur Mandiri Sentosa Harapan Bersama Amanah Cahaya Mekar Maju Rezeki")
VIRTUES_2 = _words("Jaya Abadi Lestari Utama Sejati Mulia Indah Sehati")
COMPANY_FIRST = _words("Sumber Bina Mitra Cahaya Sinar Karya Anugerah Prima Mulia Putra")
COMPANY_TRADE = _words("Pangan Tani Agro Sembako Beras Niaga Boga Pangan Sehat")
COMPANY_LAST = _words("Jaya Nusantara Mandiri Sejahtera Abadi Utama Makmur Lestari Sentosa Perkasa")
COOPERATIVE = ("Koperasi Konsumen", "Koperasi Serba Usaha", "Koperasi Produsen", "Koperasi Jasa")
MOBILE_PREFIXES = _words("0812 0813 0815 0821 0822 0838 0852 0856 0857 0877 0878 0895 0896")


# --- counts -------------------------------------------------------------------------------------


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


# --- geometry -----------------------------------------------------------------------------------


def load_kelurahan_shapes(path=KELURAHAN_GEOJSON):
    """{kelurahan kode: [polygon, ...]}, a polygon being [outer ring, hole, ...] of (lon, lat) points."""
    with open(path, encoding="utf-8") as f:
        features = json.load(f)["features"]
    shapes = {}
    for feature in features:
        geometry = feature["geometry"]
        polygons = geometry["coordinates"]
        if geometry["type"] == "Polygon":
            polygons = [polygons]
        shapes[feature["properties"]["kode"]] = polygons
    return shapes


def _in_ring(x, y, ring):
    """Ray casting: does a ray from (x, y) to the east cross the ring an odd number of times?"""
    inside = False
    x_prev, y_prev = ring[-1][0], ring[-1][1]
    for point in ring:
        x_here, y_here = point[0], point[1]
        if (y_here > y) != (y_prev > y) and x < (x_prev - x_here) * (y - y_here) / (y_prev - y_here) + x_here:
            inside = not inside
        x_prev, y_prev = x_here, y_here
    return inside


def point_in_shape(lon, lat, polygons):
    """Inside one polygon's outer ring and outside its holes (MultiPolygon aware)."""
    return any(
        _in_ring(lon, lat, rings[0]) and not any(_in_ring(lon, lat, hole) for hole in rings[1:]) for rings in polygons
    )


def _ring_area(ring):
    return abs(sum(x0 * y1 - x1 * y0 for (x0, y0, *_), (x1, y1, *_) in zip(ring, ring[1:], strict=False))) / 2


def random_point_in(polygons, rng):
    """(lat, lon) as 6-decimal Decimals inside the shape: pick a polygon by area, sample its bounding box.

    Island kelurahan of Kepulauan Seribu are many small polygons in open sea; sampling the polygon's
    own box rather than the whole shape's keeps the number of tries small.
    """
    weights = [_ring_area(rings[0]) for rings in polygons]
    boxes = []
    for rings in polygons:
        lons, lats = [p[0] for p in rings[0]], [p[1] for p in rings[0]]
        boxes.append((min(lons), max(lons), min(lats), max(lats)))
    for _attempt in range(10_000):
        west, east, south, north = rng.choices(boxes, weights)[0]
        lon = round(rng.uniform(west, east), 6)
        lat = round(rng.uniform(south, north), 6)
        if point_in_shape(lon, lat, polygons):
            return Decimal(f"{lat:.6f}"), Decimal(f"{lon:.6f}")
    raise RuntimeError("no point found inside the polygon")


# --- people and places --------------------------------------------------------------------------


def person_name(rng, female):
    """A common Indonesian name: Betawi, Javanese, Sundanese, Batak, ... in the usual shapes."""
    given, second, single = (
        (FEMALE_GIVEN, FEMALE_SECOND, FEMALE_SINGLE) if female else (MALE_GIVEN, MALE_SECOND, MALE_SINGLE)
    )
    shape = rng.random()
    if shape < 0.22:
        return rng.choice(single)
    if shape < 0.82:
        return f"{rng.choice(given)} {rng.choice(second)}"
    if shape < 0.92:
        first, middle = rng.sample(given, 2)
        return f"{first} {middle} {rng.choice(second)}"
    return f"{rng.choice(given)} {rng.choice(FAMILY_NAMES)}"


def phone_number(rng):
    return f"{rng.choice(MOBILE_PREFIXES)}-{rng.randint(1000, 9999)}-{rng.randint(100, 9999):04d}"


def street_address(rng, streets):
    """Like "Jl. Kebon Sirih Gg. 3 No. 12"."""
    street = rng.choice(streets)
    number = rng.randint(1, 120)
    if rng.random() < 0.55:
        return f"Jl. {street} Gg. {rng.randint(1, 12)} No. {number}"
    return f"Jl. {street} No. {number}"


def outlet_address(rng, streets):
    return f"{street_address(rng, streets)}, RT {rng.randint(1, 12):03d}/RW {rng.randint(1, 12):03d}"


def luhn_digit(digits):
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 0:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return str(-total % 10)


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
class AgenPlan:
    kelurahan: int
    bank: str
    nama: str
    pemilik: str
    alamat: str
    telepon: str
    status: str = Agen.Status.AKTIF
    kode: str = ""


@dataclass
class PenyediaPlan:
    kode: str
    nama: str
    penanggung_jawab: str
    npwp: str
    alamat: str
    kelurahan: int
    telepon: str
    serves: set  # kota codes
    size: float  # relative share of the e-warong it supplies


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
        self.penyedia = self._plan_penyedia()
        self.agen = self._plan_agen()

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

    def _bank_near(self, rng, kelurahan):
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
                bank = self._bank_near(rng, kel)
            outlet = Outlet(kelurahan=i, bank=bank)
            outlet.kode = f"EW-{kel.region_digits}-{per_kecamatan[kel.kecamatan]:03d}"
            outlet.nama, outlet.pemilik = self._outlet_name(rng, taken_names)
            outlet.alamat = outlet_address(rng, self._streets_of(i))
            outlet.telepon = phone_number(rng)
            if kel.kode not in shapes:
                raise CommandError(f"Batas wilayah kelurahan {kel.kode} tidak ada di {KELURAHAN_GEOJSON.name}.")
            outlet.latitude, outlet.longitude = random_point_in(shapes[kel.kode], rng)
            outlets.append(outlet)
        return outlets

    def _outlet_name(self, rng, taken):
        """(name, owner), a name not used yet if twenty tries find one, else numbered like "KUBE Melati 2"."""
        for _attempt in range(20):
            name, owner = self._outlet_name_once(rng)
            if not taken[name]:
                break
        taken[name] += 1
        return (name if taken[name] == 1 else f"{name} {taken[name]}"), owner

    def _outlet_name_once(self, rng):
        female = rng.random() < 0.7
        owner = person_name(rng, female)
        roll = rng.random()
        if roll < 0.35:
            name = f"e-Warong KUBE {rng.choice(FLOWERS)}"
        elif roll < 0.45:
            name = f"e-Warong KUBE PKH {rng.choice(VIRTUES)}"
        elif roll < 0.75:
            name = f"Warung {'Bu' if female else 'Pak'} {owner.split()[0]}"
        elif roll < 0.9:
            name = f"Toko Sembako {rng.choice(VIRTUES)} {rng.choice(VIRTUES_2)}"
        else:
            name = f"RPK {rng.choice(VIRTUES)} {rng.choice(VIRTUES_2)}"
        return name, owner

    def _streets_of(self, kelurahan_index):
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

    def _plan_penyedia(self):
        """Suppliers with an office in one kelurahan, each serving its own kota and one to three others."""
        rng = self.rng("penyedia")
        kotas = sorted({k.kota for k in self.kelurahan})
        mainland = [i for i, k in enumerate(self.kelurahan) if k.kota != "31.01"] or list(range(len(self.kelurahan)))
        names, plans = set(), []
        while len(plans) < self.counts["penyedia"]:
            name = self._company_name(rng)
            if name in names or len(set(name.split())) < len(name.split()):
                continue
            names.add(name)
            home = rng.choice(mainland)
            others = [k for k in kotas if k != self.kelurahan[home].kota]
            serves = {self.kelurahan[home].kota, *rng.sample(others, min(len(others), rng.randint(1, 3)))}
            plans.append(
                PenyediaPlan(
                    kode=f"PNY-{len(plans) + 1:03d}",
                    nama=name,
                    penanggung_jawab=person_name(rng, rng.random() < 0.3),
                    npwp=f"{rng.randint(1, 99):02d}.{rng.randint(0, 999):03d}.{rng.randint(0, 999):03d}."
                    f"{rng.randint(0, 9)}-{rng.randint(0, 999):03d}.000",
                    alamat=street_address(rng, self._streets_of(home)),
                    kelurahan=home,
                    telepon=f"021-{rng.randint(2000000, 8999999)}",
                    serves=serves,
                    size=rng.uniform(0.5, 2.0),
                )
            )
        for kota in kotas:
            if not any(kota in plan.serves for plan in plans):
                rng.choice(plans).serves.add(kota)
        for outlet in self.outlets:
            kota = self.kelurahan[outlet.kelurahan].kota
            serving = [p for p, plan in enumerate(plans) if kota in plan.serves]
            outlet.penyedia = rng.choices(serving, [plans[p].size for p in serving])[0]
        return plans

    def _company_name(self, rng):
        roll = rng.random()
        if roll < 0.5:
            return f"PT {rng.choice(COMPANY_FIRST)} {rng.choice(COMPANY_TRADE)} {rng.choice(COMPANY_LAST)}"
        if roll < 0.8:
            return f"CV {rng.choice(VIRTUES)} {rng.choice(COMPANY_TRADE)} {rng.choice(COMPANY_LAST)}"
        return f"{rng.choice(COOPERATIVE)} {rng.choice(['Warga', 'Mitra', 'Karya', 'Usaha'])} {rng.choice(VIRTUES)}"

    def _plan_agen(self):
        """Most e-warong are also an agen of their bank; the other agen sit where KPM live."""
        rng = self.rng("agen")
        total = self.counts["agen"]
        linked = sorted(rng.sample(range(len(self.outlets)), min(round(len(self.outlets) * 0.8), total)))
        plans = []
        for j in linked:
            outlet = self.outlets[j]
            outlet.agen = len(plans)
            plans.append(
                AgenPlan(
                    kelurahan=outlet.kelurahan,
                    bank=outlet.bank,
                    nama=f"{AGEN_BRAND[outlet.bank]} {outlet.nama}",
                    pemilik=outlet.pemilik,
                    alamat=outlet.alamat,
                    telepon=outlet.telepon,
                )
            )
        weights = [max(count, 1) for count in self.kpm_per_kelurahan]
        while len(plans) < total:
            i = rng.choices(range(len(self.kelurahan)), weights)[0]
            bank = self._bank_near(rng, self.kelurahan[i])
            female = rng.random() < 0.5
            owner = person_name(rng, female)
            shop = rng.choice(
                [
                    f"{rng.choice(VIRTUES)} {rng.choice(VIRTUES_2)}",
                    f"{rng.choice(VIRTUES)} Cell",
                    f"Toko {owner.split()[0]}",
                ]
            )
            plans.append(
                AgenPlan(
                    kelurahan=i,
                    bank=bank,
                    nama=f"{AGEN_BRAND[bank]} {shop}",
                    pemilik=owner,
                    alamat=outlet_address(rng, self._streets_of(i)),
                    telepon=phone_number(rng),
                    status=Agen.Status.NONAKTIF if rng.random() < 0.04 else Agen.Status.AKTIF,
                )
            )
        sequence = Counter()
        for plan in sorted(plans, key=lambda p: self.kelurahan[p.kelurahan].kode):
            kota = self.kelurahan[plan.kelurahan].kota
            sequence[plan.bank, kota] += 1
            plan.kode = f"{AGEN_CODE_PREFIX[plan.bank]}-{kota.replace('.', '')}-{sequence[plan.bank, kota]:04d}"
        return plans

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
        rows = self._kpm_rows()
        while batch := list(islice(rows, BATCH_SIZE)):
            Kpm.objects.bulk_create(batch)

    def _kpm_rows(self):
        """Kpm instances one by one, so the 200.000 rows never sit in memory at once."""
        rng = self.rng("kpm")
        nik_serial, kk_serial, kks_sequence = Counter(), Counter(), Counter()
        for bank in KKS_PREFIX:
            kks_sequence[bank] = rng.randint(10_000_000, 40_000_000)
        shared_first, shared_second = self.planted.shared_no_kk or (None, None)
        age_days = (int(20 * 365.25) + 1, int(85 * 365.25) - 1, int(44 * 365.25))
        kk_latest = datetime.date(2021, 6, 30)
        kk_earliest = datetime.date(2004, 1, 1)
        rw_count = {}
        previous = None
        for i, kelurahan_index in enumerate(self.kpm_kelurahan):
            kel = self.kelurahan[kelurahan_index]
            region = kel.region_digits
            female = rng.random() < 0.62
            born = DATA_DATE - datetime.timedelta(days=int(rng.triangular(*age_days)))
            day = born.day + 40 if female else born.day
            key = f"{region}{day:02d}{born:%m%y}"
            nik_serial[key] += 1
            nik = f"{key}{nik_serial[key]:04d}"

            if kelurahan_index not in rw_count:
                rw_count[kelurahan_index] = rng.randint(5, 15)
            if i == shared_second:
                # Same household as the previous row: same card, same house.
                no_kk, alamat, rt, rw = previous.no_kk, previous.alamat, previous.rt, previous.rw
            else:
                earliest = max(kk_earliest, born + datetime.timedelta(days=int(17 * 365.25)))
                issued = earliest + datetime.timedelta(days=rng.randint(0, (kk_latest - earliest).days))
                kk_key = f"{region}{issued:%d%m%y}"
                kk_serial[kk_key] += 1
                no_kk = f"{kk_key}{kk_serial[kk_key]:04d}"
                alamat = street_address(rng, self._streets_of(kelurahan_index))
                rt = f"{rng.randint(1, 15):03d}"
                rw = f"{rng.randint(1, rw_count[kelurahan_index]):03d}"

            outlet = self.kpm_outlet[i]
            bank = self.outlets[outlet].bank
            if i in self.planted.without_kks:
                nomor_kks = ""
            else:
                kks_sequence[bank] += rng.randint(1, 40)
                body = f"{KKS_PREFIX[bank]}{kks_sequence[bank]:09d}"
                nomor_kks = body + luhn_digit(body)

            row = Kpm(
                nik=nik,
                no_kk=no_kk,
                nama=person_name(rng, female).upper(),
                jenis_kelamin=Kpm.JenisKelamin.PEREMPUAN if female else Kpm.JenisKelamin.LAKI_LAKI,
                tanggal_lahir=born,
                alamat=alamat,
                rt=rt,
                rw=rw,
                kelurahan_id=kel.kode,
                nomor_kks=nomor_kks,
                bank_id=self.banks[bank],
                ewarong_id=self.outlet_pks[outlet] if self.kpm_attached(i) else None,
                status=self.kpm_status[i],
                sumber_data=SUMBER_DATA,
                tahun_data=TAHUN_DATA,
            )
            if i == shared_first:
                previous = row
            yield row

    def planted_summary(self):
        if self.planted.overloaded is None:
            return None
        outlet = self.outlets[self.planted.overloaded]
        return (
            f"{PLANTED['shared_no_kk']} KPM dengan No KK yang sama, "
            f"{len(self.planted.meninggal_attached)} KPM meninggal yang masih terhubung ke e-warong, "
            f"{len(self.planted.cross_kota)} KPM yang dilayani e-warong di kota lain, "
            f"{len(self.planted.without_kks)} KPM tanpa nomor KKS, "
            f"e-warong {outlet.kode} melayani {_angka(self.outlet_load[self.planted.overloaded])} KPM "
            f"dengan kapasitas {_angka(outlet.kapasitas)}."
        )


# --- distribution: periods, credits and EDC transactions ------------------------------------------

TAHUN_DISTRIBUSI = 2021
PERIODE_TERBUKA = 2  # the last two months stay open; earlier ones are closed, as after the bank's final file
# The misuse each planted e-warong shows in every period, in the order they are planted.
POLA_TANAM = (
    "gesek_kolektif",
    "malam",
    "jauh",
    "tidak_aktif",
    "banyak_outlet",
    "realisasi_rendah",
    "sebelum_kartu",
)
POLA_MIN_KPM = 30
NORMAL_HOURS = (7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20)
NORMAL_HOUR_WEIGHTS = (3, 8, 10, 10, 9, 7, 6, 7, 8, 8, 6, 4, 2, 1)
NIGHT_HOURS = (22, 23, 0, 1, 2, 3, 4)


def _round500(amount):
    return int(round(amount / 500) * 500)


class DemoDistribusi:
    """Credits and EDC transactions for every month of 2021, for the registry already in the database.

    Each active KPM with a KKS is credited the period's benefit on the 5th and spends it in one to
    three purchases (8 %, 47 %, 45 %) at its own e-warong, between 07:00 and 21:00; 5 % spend only part
    of it and 2 % nothing. See the module docstring for what is planted.
    """

    def __init__(self, months, seed, out=None):
        self.months = months
        self.seed = seed
        self.out = out or (lambda message: None)
        self.kpm = list(
            Kpm.objects.order_by("id").values_list(
                "id", "nomor_kks", "bank_id", "ewarong_id", "status", "kelurahan_id", "nik"
            )
        )
        self.outlets = {
            row[0]: row
            for row in EWarong.objects.order_by("kode").values_list("id", "kode", "kelurahan_id", "bank_id", "status")
        }
        self.bank_kode = dict(Bank.objects.values_list("id", "kode"))
        self.planted = {}  # pattern -> e-warong id
        self.planted_kpm = {}  # pattern -> set of KPM ids

    def rng(self, stage):
        return random.Random(f"{self.seed}:distribusi:{stage}")

    def plan(self):
        """Pick the planted e-warong: distinct kecamatan, enough KPM, never an over-capacity one."""
        rng = self.rng("pola")
        members = defaultdict(list)
        for kpm_id, kks, _bank, outlet, status, _kel, _nik in self.kpm:
            if outlet and status == Kpm.Status.AKTIF and kks:
                members[outlet].append(kpm_id)
        self.members = members
        over = set(
            EWarong.objects.annotate(load=Count("kpm", filter=Q(kpm__status=Kpm.Status.AKTIF)))
            .filter(load__gt=F("kapasitas_kpm"))
            .values_list("id", flat=True)
        )
        candidates = [
            o
            for o in self.outlets
            if o not in over and len(members[o]) >= POLA_MIN_KPM and self.outlets[o][4] == EWarong.Status.AKTIF
        ]
        rng.shuffle(candidates)
        # Keep at least two ordinary e-warong to compare against.
        room = max(0, len(self.outlets) - len(over) - 2)
        used_kecamatan = set()
        for pattern in POLA_TANAM[:room]:
            for outlet in candidates:
                kecamatan = self.outlets[outlet][2][:8]
                if outlet not in self.planted.values() and kecamatan not in used_kecamatan:
                    self.planted[pattern] = outlet
                    used_kecamatan.add(kecamatan)
                    break
        by_id = {row[0]: row for row in self.kpm}
        taken = {k for o in self.planted.values() for k in members[o]}
        if "jauh" in self.planted:
            target = self.planted["jauh"]
            kota = self.outlets[target][2][:5]
            away = [
                k for o, ks in members.items() if o not in self.planted.values() for k in ks if by_id[k][5][:5] != kota
            ]
            self.planted_kpm["jauh"] = set(rng.sample(away, min(40, len(away) // 10)))
        if "tidak_aktif" in self.planted:
            inactive = [row[0] for row in self.kpm if row[4] != Kpm.Status.AKTIF and row[1] and not row[3]]
            self.planted_kpm["tidak_aktif"] = set(inactive[:12])
        for pattern, size in (("banyak_outlet", 10), ("sebelum_kartu", 25)):
            if pattern in self.planted:
                own = members[self.planted[pattern]]
                self.planted_kpm[pattern] = set(rng.sample(own, min(size, len(own) // 3)))
        if "realisasi_rendah" in self.planted:
            own = members[self.planted["realisasi_rendah"]]
            self.planted_kpm["realisasi_rendah"] = set(rng.sample(own, int(len(own) * 0.8)))
        self.taken = taken

    def write(self):
        from penyaluran.distribusi.periode import (
            bulk_insert,
            db_datetime,
            ensure_periode,
            refresh_after_import,
            tutup_periode,
        )

        self.db_datetime = db_datetime
        self.serial = 0
        periods = [ensure_periode(TAHUN_DISTRIBUSI, month) for month in range(1, self.months + 1)]
        with connection.cursor() as cursor:
            if partitions.is_partitioned(cursor):  # one partition of Transaksi per period and bank
                banks = list(Bank.objects.values_list("pk", flat=True))
                partitions.ensure(cursor, [(periode.pk, bank) for periode in periods for bank in banks])
        totals = Counter()
        for periode in periods:
            credits, purchases = self._period_rows(periode)
            month = {
                "penyaluran": bulk_insert(Penyaluran, PENYALURAN_COLUMNS, credits),
                "transaksi": bulk_insert(Transaksi, TRANSAKSI_COLUMNS, purchases),
            }
            totals.update(month)
            self.out(f"  {periode}: {_angka(month['penyaluran'])} penyaluran, {_angka(month['transaksi'])} transaksi")
        for periode in periods:
            refresh_after_import(periode)
        for periode in periods[: max(0, len(periods) - PERIODE_TERBUKA)]:
            tutup_periode(periode)
        return totals

    def _period_rows(self, periode):
        """(credit rows, transaction rows) of one period, as lists of column tuples."""
        rng = self.rng(f"periode:{periode.tahun}-{periode.bulan}")
        manfaat = periode.manfaat_per_kpm
        credit_day = datetime.date(periode.tahun, periode.bulan, 5)
        last_day = periode.akhir.day
        planted_outlet = self.planted
        reverse = {outlet: pattern for pattern, outlet in self.planted.items()}
        jauh_target = planted_outlet.get("jauh")
        jauh = self.planted_kpm.get("jauh", set())
        tidak_aktif = self.planted_kpm.get("tidak_aktif", set())
        banyak = self.planted_kpm.get("banyak_outlet", set())
        sebelum = self.planted_kpm.get("sebelum_kartu", set())
        rendah = self.planted_kpm.get("realisasi_rendah", set())
        outlet_ids = list(self.outlets)
        credits, purchases = [], []
        ym = f"{periode.tahun}{periode.bulan:02d}"
        collective_slot = Counter()

        def purchase(kpm_id, kks, bank_id, outlet, when, amount):
            self.serial += 1
            bank = self.outlets[outlet][3] if outlet else bank_id
            purchases.append(
                (
                    periode.pk,
                    bank,
                    f"TRX{ym}{self.serial:010d}",
                    kpm_id,
                    kks,
                    "",
                    outlet,
                    self.outlets[outlet][1] if outlet else "EDC-TIDAK-DIKENAL",
                    self.db_datetime(when),
                    amount,
                )
            )

        def moment(hours=NORMAL_HOURS, weights=NORMAL_HOUR_WEIGHTS, first_day=6):
            day = rng.randint(first_day, last_day)
            hour = rng.choices(hours, weights)[0] if weights else rng.choice(hours)
            return datetime.datetime(periode.tahun, periode.bulan, day, hour, rng.randrange(60), rng.randrange(60))

        def credit(kpm_id, nik, kks, bank_id, status):
            credits.append(
                (
                    periode.pk,
                    bank_id,
                    f"KR{ym}{kpm_id:08d}",
                    kpm_id,
                    nik,
                    kks,
                    manfaat,
                    credit_day,
                    Penyaluran.Kanal.KKS,
                    status,
                    None,
                )
            )

        for kpm_id, kks, bank_id, outlet, status, _kel, nik in self.kpm:
            planted_inactive = kpm_id in tidak_aktif
            if not kks:
                credit(kpm_id, nik, "", bank_id, Penyaluran.Status.KARTU_BELUM_DIBAGIKAN)
                continue
            if status != Kpm.Status.AKTIF and not planted_inactive:
                if outlet:  # the registry's planted deceased KPM: still credited, never spent
                    credit(kpm_id, nik, kks, bank_id, Penyaluran.Status.TERSALUR)
                continue
            status_kredit = Penyaluran.Status.TERSALUR
            if kpm_id in sebelum:
                status_kredit = Penyaluran.Status.KARTU_BELUM_DIBAGIKAN
            elif rng.random() < 0.003:
                credit(kpm_id, nik, kks, bank_id, Penyaluran.Status.GAGAL)
                continue
            credit(kpm_id, nik, kks, bank_id, status_kredit)
            if planted_inactive:
                outlet = planted_outlet["tidak_aktif"]
            elif kpm_id in jauh:
                outlet = jauh_target
            pattern = reverse.get(outlet)
            if pattern == "realisasi_rendah" and kpm_id in rendah:
                continue
            if pattern == "gesek_kolektif":
                # Cards held together: 25 cards swiped within five minutes, every slot half an hour apart.
                slot = collective_slot["n"] // 25
                collective_slot["n"] += 1
                start = datetime.datetime(periode.tahun, periode.bulan, 6 + slot // 16, 8) + datetime.timedelta(
                    minutes=30 * (slot % 16), seconds=rng.randrange(300)
                )
                purchase(kpm_id, kks, bank_id, outlet, start, manfaat)
                continue
            if kpm_id in banyak:
                others = rng.sample([o for o in outlet_ids if o != outlet], min(3, len(outlet_ids) - 1))
                for where in (outlet, *others):
                    purchase(kpm_id, kks, bank_id, where, moment(), manfaat // 4)
                continue
            roll = rng.random()
            if roll < 0.02:
                continue  # balance left unspent
            spend = manfaat if roll >= 0.07 else _round500(manfaat * rng.uniform(0.3, 0.9))
            parts = rng.choices((1, 2, 3), (8, 47, 45))[0]
            cuts = sorted(_round500(spend * rng.uniform(0.2, 0.8)) for _ in range(parts - 1))
            amounts = [b - a for a, b in zip([0, *cuts], [*cuts, spend], strict=True)]
            for amount in amounts:
                if amount <= 0:
                    continue
                when = moment(NIGHT_HOURS, None) if pattern == "malam" and rng.random() < 0.7 else moment()
                purchase(kpm_id, kks, bank_id, outlet, when, amount)

        # What reconciliation must find each month: a NIK not in the registry, one KPM credited twice,
        # one credited a wrong amount, and purchases on a terminal no e-warong owns.
        if len(self.kpm) >= PLANT_MIN_KPM:
            bank_id = self.kpm[0][2]
            for n in (1, 2):
                credits.append(
                    (
                        periode.pk,
                        bank_id,
                        f"KR{ym}X{n:07d}",
                        None,
                        f"31710150088{n:05d}",
                        "",
                        manfaat,
                        credit_day,
                        Penyaluran.Kanal.KKS,
                        Penyaluran.Status.TERSALUR,
                        None,
                    )
                )
            ordinary = [
                row
                for row in self.kpm
                if row[4] == Kpm.Status.AKTIF and row[1] and row[3] and row[3] not in reverse and row[0] not in jauh
            ]
            twice, wrong = ordinary[len(ordinary) // 3], ordinary[2 * len(ordinary) // 3]
            credits.append(
                (
                    periode.pk,
                    twice[2],
                    f"KR{ym}{twice[0]:08d}-2",
                    twice[0],
                    twice[6],
                    twice[1],
                    manfaat,
                    credit_day,
                    Penyaluran.Kanal.KKS,
                    Penyaluran.Status.TERSALUR,
                    None,
                )
            )
            credits = [(*row[:6], manfaat - 50_000, *row[7:]) if row[3] == wrong[0] else row for row in credits]
            for _n in range(3):
                purchase(wrong[0], wrong[1], wrong[2], None, moment(), 10_000)
        return credits, purchases

    def summary(self):
        if not self.planted:
            return None
        kode = {pattern: self.outlets[outlet][1] for pattern, outlet in self.planted.items()}
        return ", ".join(f"{POLA_LABEL[p]} di {k}" for p, k in kode.items())


PENYALURAN_COLUMNS = (
    "periode_id",
    "bank_id",
    "referensi",
    "kpm_id",
    "nik",
    "nomor_kks",
    "jumlah",
    "tanggal",
    "kanal",
    "status",
    "kartu_dibagikan_pada",
)
TRANSAKSI_COLUMNS = (
    "periode_id",
    "bank_id",
    "referensi",
    "kpm_id",
    "nomor_kks",
    "nik",
    "ewarong_id",
    "terminal",
    "waktu",
    "jumlah",
)
POLA_LABEL = {
    "gesek_kolektif": "gesek kolektif dan saldo habis sekali belanja",
    "malam": "transaksi malam hari",
    "jauh": "KPM dari kota lain",
    "tidak_aktif": "KPM tidak aktif bertransaksi",
    "banyak_outlet": "satu kartu di banyak e-warong",
    "realisasi_rendah": "realisasi rendah",
    "sebelum_kartu": "transaksi sebelum kartu dibagikan",
}


# --- demo users ---------------------------------------------------------------------------------

DEMO_USERS = (
    {
        "username": "sekretariat",
        "role": Role.SEKRETARIAT,
        "area": [],
        "first_name": "Rina",
        "last_name": "Marlina",
        "instansi": "Dinas Sosial Provinsi DKI Jakarta",
    },
    {
        "username": "tikor.jakpus",
        "role": Role.TIKOR_KOTA,
        "area": ["31.71"],
        "first_name": "Hendra",
        "last_name": "Gunawan",
        "instansi": "Suku Dinas Sosial Jakarta Pusat",
    },
    {
        "username": "pendamping.gambir",
        "role": Role.PENDAMPING,
        "area": ["31.71.01"],
        "first_name": "Dewi",
        "last_name": "Lestari",
        "instansi": "Pendamping BSP Kecamatan Gambir, Suku Dinas Sosial Jakarta Pusat",
    },
    {
        "username": "pendamping.tanahabang",
        "role": Role.PENDAMPING,
        "area": ["31.71.07"],
        "first_name": "Agus",
        "last_name": "Setiawan",
        "instansi": "Pendamping BSP Kecamatan Tanah Abang, Suku Dinas Sosial Jakarta Pusat",
    },
    {
        "username": "anggota.tikor",
        "role": Role.ANGGOTA,
        "area": [],
        "first_name": "Bambang",
        "last_name": "Prasetyo",
        "instansi": "Bappeda Provinsi DKI Jakarta",
    },
    {
        "username": "anggota.bni",
        "role": Role.ANGGOTA,
        "area": [],
        "bank": "BNI",
        "first_name": "Siti",
        "last_name": "Rahmawati",
        "instansi": "BNI",
    },
)


def demo_password():
    """Twelve letters and digits in three groups, easy to read out: from secrets.token_urlsafe."""
    token = ""
    while len(token) < 12:
        token += "".join(char for char in secrets.token_urlsafe(12) if char.isalnum())
    return f"{token[:4]}-{token[4:8]}-{token[8:12]}"


def ensure_demo_users():
    """Create or update the demo users; returns [(user, password)]. DEMO_PASSWORD, if set, for everyone."""
    shared = os.environ.get("DEMO_PASSWORD") or None
    logins = []
    for spec in DEMO_USERS:
        password = shared or demo_password()
        user, _created = create_or_update_user(
            spec["username"],
            spec["role"],
            spec["area"],
            password,
            bank_kode=spec.get("bank"),
            first_name=spec["first_name"],
            last_name=spec["last_name"],
            instansi=spec["instansi"],
            is_active=True,
        )
        logins.append((user, password))
    return logins


def _angka(number):
    """Indonesian thousands separator: 206.438."""
    return f"{number:,}".replace(",", ".")


def _delete_registry():
    """Delete KPM, e-warong, agen and penyedia in that order, in chunks, without writing history.

    The distribution data that points at them goes first, closed periods included: this is demo data.
    """
    for model in (Transaksi, Penyaluran, Realisasi, SinyalRisiko, SkorRisiko, Periode):
        model._base_manager.all().delete()
    with override_settings(SIMPLE_HISTORY_ENABLED=False):
        for model in (Kpm, EWarong, Agen, Penyedia):
            while pks := list(model.objects.values_list("pk", flat=True)[:BATCH_SIZE]):
                model.objects.filter(pk__in=pks).delete()


class Command(BaseCommand):
    help = (
        "Memuat data registri contoh (KPM, e-warong, agen, penyedia) seukuran DKI Jakarta 2021 "
        "dan membuat pengguna demo."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="Skala jumlah data; 1 = 206.438 KPM, 253 e-warong, 292 agen, 24 penyedia (bawaan: 1).",
        )
        parser.add_argument("--seed", type=int, default=2021, help="Benih acak; benih yang sama, data yang sama.")
        parser.add_argument(
            "--periode",
            type=int,
            default=12,
            choices=range(13),
            metavar="0-12",
            help="Jumlah bulan 2021 yang diisi penyaluran dan transaksi; 0 = tanpa data penyaluran (bawaan: 12).",
        )
        existing = parser.add_mutually_exclusive_group()
        existing.add_argument(
            "--if-empty", action="store_true", help="Lewati pemuatan data bila registri sudah berisi data."
        )
        existing.add_argument(
            "--hapus", action="store_true", help="Hapus KPM, e-warong, agen dan penyedia yang ada, lalu muat ulang."
        )

    def handle(self, *args, scale, seed, if_empty, hapus, periode=12, **options):
        started = time.monotonic()
        if not 0 < scale <= 10:
            raise CommandError("--scale harus lebih dari 0 dan paling besar 10.")
        existing = registry_counts()
        has_data = any(existing.values())
        registry = None
        if has_data and if_empty:
            self.stdout.write(f"Registri sudah berisi data ({self._counts(existing)}); tidak memuat data (--if-empty).")
        elif has_data and not hapus:
            raise CommandError(
                f"Registri sudah berisi data ({self._counts(existing)}). Jalankan dengan --hapus untuk menghapus "
                "KPM, e-warong, agen dan penyedia lalu memuat ulang, atau --if-empty untuk melewati pemuatan data."
            )
        else:
            registry = DemoRegistry(scaled_counts(scale), seed)
            registry.plan()
            try:
                with transaction.atomic():
                    if has_data:
                        _delete_registry()
                        self.stdout.write(f"Data lama dihapus ({self._counts(existing)}).")
                    registry.write()
            except (ProtectedError, RestrictedError) as error:
                blocking = getattr(error, "protected_objects", None) or error.restricted_objects
                example = next(iter(blocking))
                raise CommandError(
                    "Data registri tidak bisa dihapus karena masih dipakai data lain, "
                    f"mis. {example._meta.verbose_name} {example}. Hapus data itu dahulu."
                ) from error

        if registry is not None:
            self.stdout.write(self.style.SUCCESS(f"Data dimuat: {self._counts(registry_counts())}."))
            summary = registry.planted_summary()
            if summary:
                self.stdout.write(f"Data bermasalah yang sengaja ditanam: {summary}")

        distribusi = None
        if periode and not Periode.objects.exists() and Kpm.objects.exists():
            distribusi = DemoDistribusi(periode, seed, out=self.stdout.write)
            distribusi.plan()
            totals = distribusi.write()
            self.stdout.write(
                self.style.SUCCESS(
                    f"Penyaluran dimuat: {periode} periode, {_angka(totals['penyaluran'])} penyaluran, "
                    f"{_angka(totals['transaksi'])} transaksi."
                )
            )

        try:
            logins = ensure_demo_users()
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error

        if distribusi is not None and distribusi.summary():
            self.stdout.write(f"E-warong dengan pola penyelewengan yang sengaja ditanam: {distribusi.summary()}.")
        self._print_logins(logins)
        elapsed = f"{time.monotonic() - started:.1f}".replace(".", ",")
        self.stdout.write(f"Selesai dalam {elapsed} detik.")

    def _counts(self, counts):
        return (
            f"{_angka(counts['kpm'])} KPM, {_angka(counts['ewarong'])} e-warong, "
            f"{_angka(counts['agen'])} agen, {_angka(counts['penyedia'])} penyedia"
        )

    def _print_logins(self, logins):
        rows = [("Nama pengguna", "Kata sandi", "Peran", "Wilayah")]
        for user, password in logins:
            area = user.area_label
            if user.bank_id:
                area = f"{area} (hanya bank {user.bank.kode})"
            rows.append((user.username, password, str(user.get_role_display()), str(area)))
        widths = [max(len(row[col]) for row in rows) for col in range(4)]
        self.stdout.write(self.style.SUCCESS("Login demo:"))
        for row in rows:
            self.stdout.write(
                "  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
            )
