"""Demo distribution: a period per month of 2021, credits and EDC purchases, and the planted misuse patterns."""

import datetime
import random
from collections import Counter, defaultdict

from django.db import connection
from django.db.models import Count, F, Q

from monev.demo.registri import PLANT_MIN_KPM
from monev.models import SkorRisiko
from penyaluran.distribusi import partitions
from penyaluran.distribusi.bulk import bulk_insert
from penyaluran.distribusi.models import Penyaluran, Periode, Realisasi, Transaksi
from penyaluran.distribusi.periode import ensure_periode, refresh_after_import, tutup_periode
from penyaluran.registri.models import EWarong, Kpm
from penyaluran.risiko.models import SinyalRisiko
from tikor.formatting import angka, db_moment
from tikor.models import Bank

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
KPM_CHUNK = 20_000
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
        self.outlets = {
            row[0]: row
            for row in EWarong.objects.order_by("kode").values_list("id", "kode", "kelurahan_id", "bank_id", "status")
        }
        self.bank_kode = dict(Bank.objects.values_list("id", "kode"))
        self.planted = {}  # pattern -> e-warong id
        self.planted_kpm = {}  # pattern -> set of KPM ids

    def rng(self, stage):
        return random.Random(f"{self.seed}:distribusi:{stage}")

    def kpm_rows(self):
        """Every KPM as (id, nomor_kks, bank_id, ewarong_id, status, kelurahan_id, nik), in id order, read in chunks
        so memory stays flat at any scale (ten times DKI is two million rows)."""
        last = 0
        while True:
            chunk = list(
                Kpm.objects.filter(id__gt=last)
                .order_by("id")
                .values_list("id", "nomor_kks", "bank_id", "ewarong_id", "status", "kelurahan_id", "nik")[:KPM_CHUNK]
            )
            if not chunk:
                return
            yield chunk
            last = chunk[-1][0]

    def plan(self):
        """Pick the planted e-warong: distinct kecamatan, enough KPM, never an over-capacity one.

        Two passes over the registry: the first finds each e-warong's active members, the second, once the planted
        e-warong are known, the KPM planted at them and the two KPM reconciliation singles out.
        """
        rng = self.rng("pola")
        members = defaultdict(list)
        inactive = []
        self.first_bank = None
        for chunk in self.kpm_rows():
            if self.first_bank is None:
                self.first_bank = chunk[0][2]
            for kpm_id, kks, _bank, outlet, status, _kel, _nik in chunk:
                if outlet and status == Kpm.Status.AKTIF and kks:
                    members[outlet].append(kpm_id)
                elif status != Kpm.Status.AKTIF and kks and not outlet and len(inactive) < 12:
                    inactive.append(kpm_id)
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
        planted_outlets = set(self.planted.values())
        target = self.planted.get("jauh")
        kota = self.outlets[target][2][:5] if target else None
        away_by_outlet = defaultdict(list)
        if target:
            for chunk in self.kpm_rows():
                for kpm_id, kks, _bank, outlet, status, kel, _nik in chunk:
                    member = outlet and status == Kpm.Status.AKTIF and kks
                    if member and outlet not in planted_outlets and kel[:5] != kota:
                        away_by_outlet[outlet].append(kpm_id)
            # In the order of `members` (first KPM of each e-warong), as one list over the whole registry.
            away = [k for o in members if o in away_by_outlet for k in away_by_outlet[o]]
            self.planted_kpm["jauh"] = set(rng.sample(away, min(40, len(away) // 10)))
        if "tidak_aktif" in self.planted:
            self.planted_kpm["tidak_aktif"] = set(inactive)
        for pattern, size in (("banyak_outlet", 10), ("sebelum_kartu", 25)):
            if pattern in self.planted:
                own = members[self.planted[pattern]]
                self.planted_kpm[pattern] = set(rng.sample(own, min(size, len(own) // 3)))
        if "realisasi_rendah" in self.planted:
            own = members[self.planted["realisasi_rendah"]]
            self.planted_kpm["realisasi_rendah"] = set(rng.sample(own, int(len(own) * 0.8)))
        self.taken = {k for o in planted_outlets for k in members[o]}
        # Reconciliation's singles: an ordinary KPM credited twice, another credited a wrong amount.
        jauh = self.planted_kpm.get("jauh", set())
        ordinary = [k for o, ks in sorted(members.items()) if o not in planted_outlets for k in ks if k not in jauh]
        ordinary.sort()
        self.twice = self.wrong = None
        if ordinary:
            by_id = Kpm.objects.in_bulk([ordinary[len(ordinary) // 3], ordinary[2 * len(ordinary) // 3]])
            self.twice, self.wrong = (
                _row(by_id[ordinary[len(ordinary) // 3]]),
                _row(by_id[ordinary[2 * len(ordinary) // 3]]),
            )
        self.kpm_count = Kpm.objects.count()

    def write(self):
        self.serial = 0
        periods = [ensure_periode(TAHUN_DISTRIBUSI, month) for month in range(1, self.months + 1)]
        with connection.cursor() as cursor:
            if partitions.is_partitioned(cursor):  # one partition of Transaksi per period and bank
                banks = list(Bank.objects.values_list("pk", flat=True))
                partitions.ensure(cursor, [(periode.pk, bank) for periode in periods for bank in banks])
        totals = Counter()
        for periode in periods:
            month = Counter()
            # A chunk of KPM at a time: their credits and purchases are made and written before the next chunk.
            for credits, purchases in self._period_rows(periode):
                month["penyaluran"] += bulk_insert(Penyaluran, PENYALURAN_COLUMNS, credits)
                month["transaksi"] += bulk_insert(Transaksi, TRANSAKSI_COLUMNS, purchases)
            totals.update(month)
            self.out(f"  {periode}: {angka(month['penyaluran'])} penyaluran, {angka(month['transaksi'])} transaksi")
        for periode in periods:
            refresh_after_import(periode)
        for periode in periods[: max(0, len(periods) - PERIODE_TERBUKA)]:
            tutup_periode(periode)
        return totals

    def _period_rows(self, periode):
        """(credit rows, transaction rows) of one period, as lists of column tuples, a chunk of KPM at a time."""
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
        wrong_id = self.wrong[0] if self.wrong else None
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
                    db_moment(when),
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
                    manfaat - 50_000 if kpm_id == wrong_id else manfaat,
                    credit_day,
                    Penyaluran.Kanal.KKS,
                    status,
                    None,
                )
            )

        for chunk in self.kpm_rows():
            for kpm_id, kks, bank_id, outlet, status, _kel, nik in chunk:
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
            yield credits, purchases
            credits, purchases = [], []

        # What reconciliation must find each month: a NIK not in the registry, one KPM credited twice,
        # one credited a wrong amount (above), and purchases on a terminal no e-warong owns.
        if self.kpm_count >= PLANT_MIN_KPM:
            bank_id = self.first_bank
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
            if self.twice:
                twice, wrong = self.twice, self.wrong
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
                for _n in range(3):
                    purchase(wrong[0], wrong[1], wrong[2], None, moment(), 10_000)
        yield credits, purchases

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


def _row(kpm):
    return (kpm.id, kpm.nomor_kks, kpm.bank_id, kpm.ewarong_id, kpm.status, kpm.kelurahan_id, kpm.nik)


def delete_distribusi():
    """Delete every period with its credits, purchases, summaries, signals and risk scores, closed periods too."""
    for model in (Transaksi, Penyaluran, Realisasi, SinyalRisiko, SkorRisiko, Periode):
        model._base_manager.all().delete()
