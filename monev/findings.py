"""From answers to findings, and from findings to corrective actions, sanctions and re-visits."""

import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from monev import conf
from monev.complaints import pendamping_for
from monev.models import HargaAcuan, Instrumen, Jawaban, Penugasan, Temuan, TindakLanjut
from monev.sanctions import record_sanction

NOT_SCORED = (False, "")


def _number(value):
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def evaluate(pertanyaan, nilai, tanggal):
    """Judge one answer by its question's rule: (scored, severity); severity is "" when the answer complies.

    An answer is not scored when the question has no rule, the answer is empty, or the reference value the
    rule needs has not been set by the secretariat.
    """
    rule = pertanyaan.aturan
    if not rule or nilai in (None, "", []):
        return NOT_SCORED
    severity = rule.get("keparahan", "")
    if "jika" in rule:
        return True, severity if nilai == rule["jika"] else ""
    if "jika_salah_satu" in rule:
        return True, severity if nilai in rule["jika_salah_satu"] else ""
    number = _number(nilai)
    if number is None:
        return NOT_SCORED
    if "lebih_dari" in rule:
        return True, severity if number > rule["lebih_dari"] else ""
    if "kurang_dari" in rule:
        return True, severity if number < rule["kurang_dari"] else ""
    if "acuan" in rule:
        reference = HargaAcuan.berlaku(rule["acuan"], tanggal)
        if reference is None:
            return NOT_SCORED
        if rule.get("kurang_dari_acuan"):
            return True, severity if number < reference else ""
        for percent, band_severity in sorted(rule["batas_persen"], reverse=True):
            if number > reference * (1 + Decimal(percent) / 100):
                return True, band_severity
        return True, ""
    return NOT_SCORED


def raise_findings(kunjungan):
    """One automatic Temuan per answer that breaks its rule; running it again adds nothing."""
    broken = Jawaban.objects.filter(kunjungan=kunjungan, patuh=False).exclude(keparahan="").select_related("pertanyaan")
    created = []
    for jawaban in broken:
        q = jawaban.pertanyaan
        temuan, new = Temuan.objects.get_or_create(
            kunjungan=kunjungan,
            pertanyaan=q,
            sumber=Temuan.Sumber.OTOMATIS,
            defaults={
                "ewarong_id": kunjungan.ewarong_id,
                "judul": q.judul_temuan or f"{q.kode}: {q.teks}",
                "uraian": _describe(jawaban),
                "aspek": q.aspek,
                "keparahan": jawaban.keparahan,
                "dibuat_oleh": kunjungan.petugas,
            },
        )
        if new:
            created.append(temuan)
    return created


def _describe(jawaban):
    text = f"Jawaban {jawaban.pertanyaan.kode} \u201c{jawaban.pertanyaan.teks}\u201d: {jawaban.nilai}."
    if jawaban.keterangan:
        text += f" Keterangan petugas: {jawaban.keterangan}"
    return text


@transaction.atomic
def add_action(temuan, user, **fields):
    """Record a corrective action; a sanction step moves the e-warong along the ladder."""
    action = TindakLanjut(temuan=temuan, dibuat_oleh=user, **fields)
    action.apply_sla()
    action.full_clean()
    action.save()
    record_sanction(action, user)
    if temuan.status == Temuan.Status.TERBUKA:
        temuan.status = Temuan.Status.DITINDAKLANJUTI
        temuan.save(update_fields=["status"])
    return action


@transaction.atomic
def close_action(action, user, catatan=""):
    """Close an action and schedule a re-visit of the e-warong to verify it was really done."""
    action.status = TindakLanjut.Status.SELESAI
    action.ditutup_pada = timezone.now()
    action.catatan_penutupan = catatan
    action.save(update_fields=["status", "ditutup_pada", "catatan_penutupan"])
    temuan = action.temuan
    previous = temuan.kunjungan.penugasan if temuan.kunjungan_id else None
    instrumen = previous.instrumen if previous else _default_instrument()
    return Penugasan.objects.create(
        ewarong=temuan.ewarong,
        instrumen=instrumen,
        tim=previous.tim if previous else None,
        # A finding recorded by hand has no visit: the kecamatan's pendamping goes back.
        petugas=previous.petugas if previous else pendamping_for(temuan.ewarong.kelurahan_id),
        batas_waktu=timezone.localdate() + datetime.timedelta(days=conf.get("MONEV_KUNJUNGAN_ULANG_HARI")),
        asal_tindak_lanjut=action,
        catatan=f"Kunjungan ulang untuk memverifikasi tindak lanjut: {action.uraian}",
    )


def _default_instrument():
    return Instrumen.objects.terbaru(Instrumen.Jenis.EWARONG)
