"""Demo complaints over the months of a DemoMonev story, through every channel, recorded and answered by monev.

record_complaint() routes each one to the kecamatan's pendamping, sets its SLA dates from the day it came in
and flags repeated complaints about one e-warong; respond() records the first reply and the settlement. Most
are about e-warong, more about the planted ones, a few about a KPM's own case or about a penyedia.
"""

import datetime

from django.utils import timezone

from monev.complaints import record_complaint, respond
from monev.demo import teks
from monev.demo.names import person_name, phone_number
from monev.models import Pengaduan
from penyaluran.registri.models import Kpm

CHANNELS, CHANNEL_WEIGHTS = zip(*teks.KANAL.items(), strict=True)


def write_complaints(demo):
    """Complaints about each outlet of `demo`, in the order they came in, so repeats are flagged as they were."""
    numbers = set()
    for outlet in demo.outlets:
        rng = demo.rng(f"aduan:{outlet.kode}")
        rate = demo_rate(outlet)
        moments = []
        for start in demo.month_starts():
            for _n in range((rng.random() < rate) + (rng.random() < rate / 3)):
                day = start + datetime.timedelta(days=rng.randint(0, 27))
                if day <= demo.akhir:
                    moments.append((demo.now(day, rng, 6, 21), False))
        if outlet.pola == "gesek_kolektif":  # one RT whose cards were collected complains together: a repeat
            for _n in range(3):
                day = demo.akhir - datetime.timedelta(days=rng.randint(0, 19))
                moments.append((demo.now(day, rng, 6, 21), True))
        stuck = outlet.pola in teks.ADUAN_POLA  # the first late complaint about a planted e-warong is still in hand
        for received, together in sorted(moments):
            pengaduan = _complaint(demo, outlet, received, rng, numbers, together)
            late = stuck and pengaduan.batas_selesai < demo.today
            _settle(demo, pengaduan, received, rng, fate="diproses" if late else None)
            stuck = stuck and not late


def demo_rate(outlet):
    if outlet.pola in teks.ADUAN_POLA:
        return 0.6
    return 0.25 if outlet.watched else 0.04


def _complaint(demo, outlet, received, rng, numbers, together=False):
    kind = 1 if together else rng.random()
    subject = {"ewarong_id": outlet.id, "kelurahan_id": outlet.kelurahan}
    linked = None
    if kind < 0.12 and (kpm := _a_kpm(outlet, rng)):
        subject = {"kpm_id": kpm}
        kategori, isi = rng.choice(teks.ADUAN_KPM)
    elif kind < 0.16 and outlet.penyedia_id:
        subject = {"penyedia_id": outlet.penyedia_id}
        kategori, isi = rng.choice(teks.ADUAN_PENYEDIA)
        isi = isi.format(nama=outlet.penyedia)
    elif outlet.pola in teks.ADUAN_POLA and (together or rng.random() < 0.7):
        kategori, isi = teks.ADUAN_POLA[outlet.pola]
        isi = isi.format(nama=outlet.nama)
        # The field already saw it: the complaint points at the latest finding there.
        linked = next((pk for day, pk in reversed(outlet.temuan) if day <= received.date()), None)
    else:
        kategori, isi = rng.choice(teks.ADUAN_BIASA)
        isi = isi.format(nama=outlet.nama)
    kanal = rng.choices(CHANNELS, CHANNEL_WEIGHTS)[0]
    anonim = rng.random() < 0.35
    while (nomor := f"ADU-{timezone.localtime(received):%y%m%d}-{rng.getrandbits(20):05X}") in numbers:
        pass
    numbers.add(nomor)
    pengaduan = Pengaduan(
        nomor=nomor,
        kanal=kanal,
        anonim=anonim,
        nama_pelapor="" if anonim else person_name(rng, rng.random() < 0.6),
        kontak_pelapor="" if anonim or kanal == Pengaduan.Kanal.MEDIA_SOSIAL else phone_number(rng),
        kategori=kategori,
        penanganan=teks.PENANGANAN.get(kategori, Pengaduan.Penanganan.INFORMASI),
        isi=isi,
        diterima_pada=received,
        temuan_id=linked,
        **subject,
    )
    in_person = kanal == Pengaduan.Kanal.TATAP_MUKA
    return record_complaint(pengaduan, demo.pendamping[outlet.kecamatan] if in_person else demo.sekretariat)


def _a_kpm(outlet, rng):
    if outlet.kpm_ids is None:
        outlet.kpm_ids = list(Kpm.objects.filter(ewarong_id=outlet.id).order_by("id").values_list("id", flat=True)[:50])
    return rng.choice(outlet.kpm_ids) if outlet.kpm_ids else None


def _settle(demo, pengaduan, received, rng, fate=None):
    """Answered and settled on time, late, still in hand, or never answered; judged as of today."""
    if fate is None and pengaduan.batas_selesai >= demo.today:
        fate = rng.choices(("baru", "diproses", "tepat"), (40, 45, 15))[0]
    elif fate is None:
        fate = rng.choices(("baru", "diproses", "tepat", "telat"), (5, 10, 72, 13))[0]
    if fate == "baru":
        return
    answered = min(received + datetime.timedelta(hours=rng.randint(2, 96)), demo.sekarang)
    respond(pengaduan, rng.choice(teks.TANGGAPAN_PROSES), Pengaduan.Status.DIPROSES)
    demo.stamp(pengaduan, direspons_pada=answered)
    if fate == "diproses":
        return
    if fate == "tepat":
        span = max(0, (pengaduan.batas_selesai - answered.date()).days)
        settled_day = answered.date() + datetime.timedelta(days=rng.randint(0, span))
    else:
        settled_day = pengaduan.batas_selesai + datetime.timedelta(days=rng.randint(1, 20))
    if settled_day > demo.akhir:
        return
    respond(pengaduan, rng.choice(teks.TANGGAPAN_SELESAI), Pengaduan.Status.SELESAI)
    demo.stamp(pengaduan, selesai_pada=max(answered, demo.now(settled_day, rng, 8, 17)))
