"""Demo monev: teams, assignments, visits with answers, findings with corrective actions, and complaints.

Every step goes through monev's own code so its invariants hold: monev.visits.submit_kunjungan() scores the
answers and raises the findings (monev.scoring, monev.findings), verifikasi() and kembalikan() review a visit,
add_action() and close_action() follow a finding up and move the e-warong along the sanction ladder, and
record_complaint() and respond() route and answer a complaint. Those stamp the moment they run; the story then
moves each stamp to the day it happened, in bulk.

The story covers the last N months (N = --periode) and ends the evening before the day of the run, so that the
pages, which judge deadlines against today, show work done on time, done late, still running and overdue, and
the same seed on the same day gives the same rows. E-warong with a planted misuse pattern (DemoDistribusi) and
the over-capacity one are visited every month, those already under a sanction in the registry and those of
Gambir and Tanah Abang, where the demo pendamping work, every few months, the others now and then; a closed
action is checked by the next visit or a re-visit. The planted ones answer badly and climb the ladder up to the
recommendation to the bank: deactivation is the bank's own decision, and an inactive e-warong would turn its
2021 purchases into reconciliation findings.
"""

import bisect
import datetime
import random
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from monev import conf
from monev.demo import teks
from monev.demo.aduan import write_complaints
from monev.demo.jawaban import answers
from monev.demo.users import ensure_field_staff
from monev.findings import add_action, close_action
from monev.models import (
    Instrumen,
    Jawaban,
    Keparahan,
    Kunjungan,
    LangkahSanksi,
    Pengaduan,
    Penugasan,
    Temuan,
    TimMonev,
    TindakLanjut,
    sla_tindak_lanjut_hari,
)
from monev.risiko.scores import recompute as recompute_risk
from monev.visits import haversine_m, submit_kunjungan
from penyaluran.distribusi.models import Periode
from penyaluran.registri.models import EWarong, Kpm
from tikor.models import User, Wilayah

STATUS = Kunjungan.Status
DEMO_KECAMATAN = ("31.71.01", "31.71.07")  # Gambir and Tanah Abang: pendamping.gambir, pendamping.tanahabang
# Chance that an e-warong is visited in a month: the planted and the over-capacity one every month, those under a
# sanction and those of the demo pendamping every five months or so, the others about once in seven years: some
# 200 visits at full scale over 12 months, re-visits included, for scoring a visit costs some 40 ms.
KUNJUNGAN_PER_BULAN = {"pola": 1.0, "sanksi": 0.2, "area": 0.2, "biasa": 0.012}
# A closed action is checked by the e-warong's next visit when it comes within this many days, else by a re-visit.
ULANG_TUNGGU_HARI = 30
MIN_KUNJUNGAN = 10
SANKSI_JEDA_HARI = 60  # a step up the ladder at most every two months
NEXT_RUNG = {
    EWarong.Status.AKTIF: LangkahSanksi.PEMBINAAN,
    EWarong.Status.PEMBINAAN: LangkahSanksi.TEGURAN,
    EWarong.Status.TEGURAN: LangkahSanksi.REKOMENDASI_BANK,
}
SEVERITY_ORDER = list(Keparahan.values)


@dataclass
class Visit:
    tanggal: datetime.date
    status: str
    penugasan: Penugasan | None = None  # a re-visit's assignment (close_action made it)
    extra: list = field(default_factory=list)  # more re-visit assignments this visit settles
    verify: list = field(default_factory=list)  # [(Temuan, fixed)] that this re-visit checks
    paksa: dict = field(default_factory=dict)  # {question code: True} answers made to break their rule
    tetap: bool = False  # status chosen on purpose; the every-status fix-up leaves it
    ulang: bool = False  # a re-visit of its own, to check closed actions


@dataclass
class Outlet:
    id: int
    kode: str
    nama: str
    kelurahan: str
    latitude: Decimal | None
    longitude: Decimal | None
    bank: str
    penyedia_id: int | None
    penyedia: str
    load: int
    status: str
    pola: str | None  # a planted pattern, "kapasitas", "sanksi", or None for an ordinary e-warong
    visits: list = field(default_factory=list)
    missed: list = field(default_factory=list)  # due dates of assignments nobody visited
    next_due: datetime.date | None = None
    temuan: list = field(default_factory=list)  # [(date found, Temuan id)]
    kpm_ids: list | None = None  # a few of its KPM, for complaints about a KPM's own case
    sanksi_terakhir: datetime.date | None = None  # the last sanction step, for the time a step takes to bite

    @property
    def kecamatan(self):
        return self.kelurahan[:8]

    @property
    def kota(self):
        return self.kelurahan[:5]

    @property
    def watched(self):
        return self.pola is not None or self.kecamatan in DEMO_KECAMATAN

    @property
    def kelas(self):
        if self.pola == "sanksi":
            return "sanksi"
        if self.pola is not None:
            return "pola"
        return "area" if self.kecamatan in DEMO_KECAMATAN else "biasa"


def monev_exists():
    return Penugasan.objects.exists() or Kunjungan.objects.exists() or Pengaduan.objects.exists()


def delete_monev():
    """Delete the field data that points at the registry (instruments, prices and documents stay)."""
    for model in (Pengaduan, Temuan, Kunjungan, Penugasan, TimMonev):
        model._base_manager.all().delete()


class DemoMonev:
    """The monev story of the demo registry, `months` months up to `hari_ini` (today by default)."""

    def __init__(self, months, seed, planted, hari_ini=None):
        self.months = months
        self.seed = seed
        self.today = hari_ini or timezone.localdate()
        # The story ends yesterday evening, so every moment is fixed by the seed and the day, never by the clock.
        self.akhir = self.today - datetime.timedelta(days=1)
        self.sekarang = timezone.make_aware(datetime.datetime.combine(self.today, datetime.time()))
        self.instrumen = Instrumen.objects.terbaru(Instrumen.Jenis.EWARONG)
        if self.instrumen is None:
            raise CommandError("Belum ada instrumen kunjungan e-warong yang terbit; jalankan migrate dahulu.")
        self.questions = list(self.instrumen.pertanyaan.all())
        pattern_of = {outlet: pattern for pattern, outlet in planted.items()}
        rows = (
            EWarong.objects.annotate(load=Count("kpm", filter=Q(kpm__status=Kpm.Status.AKTIF)))
            .order_by("kode")
            .values_list(
                "id", "kode", "nama", "kelurahan_id", "latitude", "longitude", "bank__kode", "penyedia_id",
                "penyedia__nama", "load", "status", "kapasitas_kpm",
            )
        )  # fmt: skip
        self.outlets = []
        for *row, kapasitas in rows:
            outlet = Outlet(*row[:9], load=row[9], status=row[10], pola=pattern_of.get(row[0]))
            if outlet.pola is None and outlet.load > kapasitas:
                outlet.pola = "kapasitas"
            elif outlet.pola is None and outlet.status in (EWarong.Status.PEMBINAAN, EWarong.Status.TEGURAN):
                outlet.pola = "sanksi"
            self.outlets.append(outlet)
        self.stamped = defaultdict(dict)
        self.stamp_fields = defaultdict(set)
        self.selesai = []  # findings settled by a re-visit or noted and closed
        self.acuan = {}

    def rng(self, stage):
        return random.Random(f"{self.seed}:monev:{stage}")

    def now(self, day, rng, first_hour=8, last_hour=15):
        """An aware moment on `day` in Jakarta, never later than the story's end."""
        moment = datetime.datetime.combine(day, datetime.time(rng.randint(first_hour, last_hour), rng.randrange(60)))
        return min(timezone.make_aware(moment), self.sekarang)

    def stamp(self, obj, **values):
        for name, value in values.items():
            setattr(obj, name, value)
        self.stamped[type(obj)][obj.pk] = obj
        self.stamp_fields[type(obj)].update(values)

    # planning

    def month_starts(self):
        first = self.akhir.year * 12 + self.akhir.month - 1
        return [datetime.date(m // 12, m % 12 + 1, 1) for m in range(first - self.months + 1, first + 1)]

    def status_for(self, rng, day):
        """Recent visits are still drafts or waiting for review; older ones are verified, now and then returned."""
        age = (self.today - day).days
        if age <= 7:
            weights = (35, 45, 10, 10)
        elif age <= 30:
            weights = (5, 30, 5, 60)
        else:
            weights = (0, 0, 2, 98)
        return rng.choices((STATUS.DRAF, STATUS.DIKIRIM, STATUS.DIKEMBALIKAN, STATUS.TERVERIFIKASI), weights)[0]

    def plan(self):
        starts = self.month_starts()
        ends = [start - datetime.timedelta(days=1) for start in starts[1:]] + [self.akhir]
        for outlet in self.outlets:
            rng = self.rng(f"jadwal:{outlet.kode}")
            rate = KUNJUNGAN_PER_BULAN[outlet.kelas]
            for start, end in zip(starts, ends, strict=True):
                if rng.random() < rate:
                    day = start + datetime.timedelta(days=rng.randint(0, (end - start).days))
                    outlet.visits.append(Visit(day, self.status_for(rng, day)))
                elif rng.random() < 0.03 and start + datetime.timedelta(days=27) < self.akhir:
                    outlet.missed.append(start + datetime.timedelta(days=rng.randint(20, 27)))
            if outlet.kecamatan in DEMO_KECAMATAN and not outlet.visits:
                day = starts[-1] + datetime.timedelta(days=rng.randint(0, (ends[-1] - starts[-1]).days))
                outlet.visits.append(Visit(day, self.status_for(rng, day)))
            if outlet.watched or rng.random() < 0.15:
                outlet.next_due = self.today + datetime.timedelta(days=rng.randint(5, 30))
            if outlet.kecamatan in DEMO_KECAMATAN and outlet.visits:
                # The demo pendamping have findings to follow up: a missing poster and price list.
                first = outlet.visits[0]
                first.paksa, first.tetap = {"E5": True, "E6": True}, True
                if first.status == STATUS.DRAF:
                    first.status = STATUS.DIKIRIM
        self._ensure_minimum()
        self._ensure_every_status()

    def _ensure_minimum(self):
        rng = self.rng("minimum")
        first = self.month_starts()[0]
        while sum(len(o.visits) for o in self.outlets) < MIN_KUNJUNGAN:
            outlet = rng.choice(self.outlets)
            day = first + datetime.timedelta(days=rng.randint(0, (self.akhir - first).days))
            bisect.insort(outlet.visits, Visit(day, self.status_for(rng, day)), key=lambda v: v.tanggal)

    def _ensure_every_status(self):
        """Every status shows at least once, taken from the most recent visits of a status seen more often."""
        visits = sorted((v for o in self.outlets for v in o.visits), key=lambda v: v.tanggal, reverse=True)
        seen = Counter(v.status for v in visits)
        for status in (STATUS.DRAF, STATUS.DIKIRIM, STATUS.DIKEMBALIKAN, STATUS.TERVERIFIKASI):
            if seen[status]:
                continue
            spare = next((v for v in visits if not v.tetap and seen[v.status] > 1), None)
            if spare is not None:
                seen[spare.status] -= 1
                spare.status, spare.tetap = status, True
                seen[status] += 1

    # writing

    @transaction.atomic
    def write(self):
        started = time.monotonic()
        self.sekretariat = User.objects.get(username="sekretariat")
        kota_staff, self.pendamping = ensure_field_staff(self.seed, {o.kecamatan for o in self.outlets})
        self.petugas = {u.pk for u in (*kota_staff.values(), *self.pendamping.values()) if not u.has_usable_password()}
        nama = dict(Wilayah.objects.kota().values_list("kode", "nama_singkat"))
        self.teams = {}
        for kota, ketua in kota_staff.items():
            tim = TimMonev.objects.create(
                nama=f"Tim Monev BSP {nama[kota]} {self.today.year}",
                wilayah_id=kota,
                ketua=ketua,
                tahun=self.today.year,
            )
            tim.anggota.set([u for kec, u in self.pendamping.items() if kec.startswith(f"{kota}.")])
            self.teams[kota] = tim
        for outlet in self.outlets:
            self._story_of(outlet)
        self._assignments()
        write_complaints(self)
        for model, objects in self.stamped.items():
            model.objects.bulk_update(list(objects.values()), sorted(self.stamp_fields[model]), batch_size=500)
        Temuan.objects.filter(pk__in=self.selesai).update(status=Temuan.Status.SELESAI)
        # The combined risk of the open periods counts the open findings and complaints and the visit scores.
        for periode in Periode.objects.terbuka():
            recompute_risk(periode)
        self.elapsed = time.monotonic() - started

    def _open_routine(self, outlet):
        """The outlet's open routine assignment (its last visit not yet verified): a new visit goes under it, as
        a pendamping re-sends a returned visit, since an e-warong has one open assignment per instrument."""
        return (
            Penugasan.objects.terbuka()
            .rutin()
            .filter(ewarong_id=outlet.id, instrumen=self.instrumen)
            .select_related("petugas")
            .first()
        )

    def _penugasan(self, outlet, batas, **fields):
        return Penugasan(
            ewarong_id=outlet.id,
            instrumen=self.instrumen,
            tim=self.teams[outlet.kota],
            petugas=self.pendamping[outlet.kecamatan],
            batas_waktu=batas,
            **fields,
        )

    def _story_of(self, outlet):
        """The outlet's visits in date order; closing an action schedules the re-visit that checks it."""
        rng = self.rng(f"cerita:{outlet.kode}")
        queue = list(outlet.visits)
        while queue:
            visit = queue.pop(0)
            for temuan in self._visit(outlet, visit, rng):
                self._follow_up(outlet, temuan, visit, rng, queue)

    def _visit(self, outlet, visit, rng):
        """Record one visit as the phone would, then submit and review it; returns its new findings."""
        when = self.now(visit.tanggal, rng)
        penugasan = visit.penugasan or self._open_routine(outlet)
        if penugasan is None:
            penugasan = self._penugasan(outlet, visit.tanggal + datetime.timedelta(days=rng.randint(-3, 10)))
            penugasan.save()
            self.stamp(penugasan, dibuat_pada=when - datetime.timedelta(days=rng.randint(7, 20)))
        lat = lon = jarak = None
        if outlet.latitude is not None:
            spread = rng.uniform(0.006, 0.01) if rng.random() < 0.03 else rng.uniform(0.0001, 0.0009)
            lat = (outlet.latitude + Decimal(f"{rng.choice((-1, 1)) * spread:.6f}")).quantize(Decimal("0.000001"))
            lon = (outlet.longitude + Decimal(f"{rng.uniform(-0.0006, 0.0006):.6f}")).quantize(Decimal("0.000001"))
            jarak = round(haversine_m(lat, lon, outlet.latitude, outlet.longitude))
        kunjungan = Kunjungan.objects.create(
            uuid=uuid.UUID(int=rng.getrandbits(128), version=4),
            penugasan=penugasan,
            instrumen=self.instrumen,
            ewarong_id=outlet.id,
            petugas=penugasan.petugas,
            tanggal=visit.tanggal,
            latitude=lat,
            longitude=lon,
            akurasi_gps=rng.randint(4, 35) if lat is not None else None,
            jarak_ewarong=jarak,
            catatan=rng.choice(teks.CATATAN_KUNJUNGAN),
        )
        self.stamp(kunjungan, dibuat_pada=when)
        Jawaban.objects.bulk_create(answers(self, kunjungan, outlet, visit, rng))
        if visit.status == STATUS.DRAF:
            return []
        found = submit_kunjungan(kunjungan)
        sent = min(when + datetime.timedelta(hours=rng.randint(0, 6)), self.sekarang)
        self.stamp(kunjungan, dikirim_pada=sent)
        reviewed = min(sent + datetime.timedelta(days=rng.randint(1, 5), hours=rng.randint(0, 8)), self.sekarang)
        if visit.status == STATUS.TERVERIFIKASI:
            kunjungan.verifikasi(self.sekretariat)
            self.stamp(kunjungan, diverifikasi_pada=reviewed)
            Penugasan.objects.filter(pk__in=[p.pk for p in visit.extra]).update(status=Penugasan.Status.SELESAI)
            self.selesai += [temuan.pk for temuan, fixed in visit.verify if fixed]
        elif visit.status == STATUS.DIKEMBALIKAN:
            kunjungan.kembalikan(self.sekretariat, rng.choice(teks.ALASAN_DIKEMBALIKAN))
            self.stamp(kunjungan, diverifikasi_pada=reviewed)
        for temuan in found:
            # Raised at the moment it was sent: the model sets the SLA due date from it.
            temuan.dibuat_pada, temuan.batas_waktu = sent, None
            temuan.save(update_fields=["dibuat_pada", "batas_waktu"])
            outlet.temuan.append((visit.tanggal, temuan.pk))
        # Most severe first, then in question order: the database returns them in no fixed order.
        return sorted(found, key=lambda t: (SEVERITY_ORDER.index(t.keparahan), t.pertanyaan_id))

    def _follow_up(self, outlet, temuan, visit, rng, queue):
        """A finding's fate: noted, acted on (maybe a sanction), closed on time or late, or left open."""
        found = timezone.localdate(temuan.dibuat_pada)
        if temuan.keparahan == Keparahan.RENDAH:
            if (self.today - found).days > 14 and rng.random() < 0.85:
                self.selesai.append(temuan.pk)  # noted at the Tikor meeting and closed; no action for a low finding
            return
        risky = outlet.pola is not None
        if temuan.batas_waktu >= self.today:
            fate = rng.choices(("belum", "berjalan", "tepat"), (35, 45, 20))[0]
        else:
            weights = (10, 30, 45, 15) if risky else (3, 10, 75, 12)
            fate = rng.choices(("belum", "berjalan", "tepat", "telat"), weights)[0]
        acted = found + datetime.timedelta(days=rng.randint(1, 4))
        if fate == "belum" or acted > self.akhir:
            return
        step = ""
        severe = temuan.keparahan in (Keparahan.KRITIS, Keparahan.TINGGI)
        rested = outlet.sanksi_terakhir is None or (acted - outlet.sanksi_terakhir).days >= SANKSI_JEDA_HARI
        if severe and rested and (risky or rng.random() < 0.3):
            step = NEXT_RUNG.get(outlet.status, "")
        if step:
            uraian, penanggung_jawab = teks.TINDAKAN_SANKSI[step]
            outlet.sanksi_terakhir = acted
        else:
            uraian, penanggung_jawab = teks.TINDAKAN_ASPEK[temuan.aspek], "pendamping"
        petugas = self.pendamping[outlet.kecamatan]
        if penanggung_jawab == "pendamping":
            penanggung_jawab = f"{petugas.get_full_name()} (pendamping)"
        user = self.sekretariat if step in (LangkahSanksi.TEGURAN, LangkahSanksi.REKOMENDASI_BANK) else petugas
        sla = sla_tindak_lanjut_hari(temuan.keparahan)
        action = add_action(
            temuan,
            user,
            uraian=uraian,
            penanggung_jawab=penanggung_jawab.format(bank=outlet.bank),
            batas_waktu=acted + datetime.timedelta(days=sla),
            langkah_sanksi=step,
            status=rng.choice((TindakLanjut.Status.DIRENCANAKAN, TindakLanjut.Status.BERJALAN)),
        )
        acted_at = self.now(acted, rng)
        self.stamp(action, dibuat_pada=acted_at)
        if step:
            outlet.status = EWarong.objects.values_list("status", flat=True).get(pk=outlet.id)
            latest = EWarong.history.filter(id=outlet.id).order_by("-history_id")[:1].values_list("history_id")
            EWarong.history.filter(history_id__in=latest).update(history_date=acted_at)
        if fate == "berjalan":
            return
        if fate == "tepat":
            closed = acted + datetime.timedelta(days=rng.randint(1, sla))
        else:
            closed = action.batas_waktu + datetime.timedelta(days=rng.randint(1, 20))
        if closed > self.akhir:
            return
        revisit = close_action(action, user, rng.choice(teks.CATATAN_PENUTUPAN))
        closed_at = self.now(closed, rng)
        self.stamp(action, ditutup_pada=closed_at)
        ulang_hari = conf.get("MONEV_KUNJUNGAN_ULANG_HARI")
        self.stamp(revisit, dibuat_pada=closed_at, batas_waktu=closed + datetime.timedelta(days=ulang_hari))
        fixed = rng.random() < (0.5 if risky else 0.9)
        for later in queue:  # a visit already planned soon after checks it, late or not
            if closed <= later.tanggal <= closed + datetime.timedelta(days=ULANG_TUNGGU_HARI):
                if later.penugasan is None:
                    later.penugasan = revisit
                else:
                    later.extra.append(revisit)
                later.verify.append((temuan, fixed))
                return
        if temuan.keparahan == Keparahan.SEDANG:
            # A poster, a price list or a receipt book is shown on a photo; nobody goes back for it.
            Penugasan.objects.filter(pk=revisit.pk).update(status=Penugasan.Status.BATAL, catatan=teks.ULANG_FOTO)
            self.selesai.append(temuan.pk)
            return
        day = closed + datetime.timedelta(days=rng.randint(2, ulang_hari))
        if day <= self.akhir:
            later = Visit(day, self.status_for(rng, day), penugasan=revisit, verify=[(temuan, fixed)], ulang=True)
            bisect.insort(queue, later, key=lambda v: v.tanggal)

    def _assignments(self):
        """Assignments nobody visited (late, or cancelled long ago) and the next round, due in the coming weeks."""
        rows = []
        already_open = set(
            Penugasan.objects.terbuka().rutin().filter(instrumen=self.instrumen).values_list("ewarong_id", flat=True)
        )
        for outlet in self.outlets:
            rng = self.rng(f"penugasan:{outlet.kode}")
            has_open = outlet.id in already_open  # one open assignment per e-warong and instrument
            for due in outlet.missed:
                late = (self.today - due).days < 45 and not has_open
                has_open = has_open or late
                rows.append(
                    self._penugasan(
                        outlet,
                        due,
                        status=Penugasan.Status.TERBUKA if late else Penugasan.Status.BATAL,
                        catatan="" if late else "Dibatalkan: e-warong tutup pada jadwal kunjungan.",
                    )
                )
                rows[-1].dibuat_pada = self.now(due - datetime.timedelta(days=rng.randint(20, 30)), rng)
            if outlet.next_due and not has_open:
                rows.append(self._penugasan(outlet, outlet.next_due, catatan="Kunjungan rutin."))
                rows[-1].dibuat_pada = self.now(self.akhir - datetime.timedelta(days=rng.randint(0, 4)), rng)
        planned = [row.dibuat_pada for row in rows]
        Penugasan.objects.bulk_create(rows)
        for row, when in zip(rows, planned, strict=True):
            self.stamp(row, dibuat_pada=when)
