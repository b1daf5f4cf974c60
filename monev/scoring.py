"""Scores: per 6T aspect and in total for a visit, and scorecards over time for e-warong and penyedia.

A score is 100 × (weight of answers that keep their rule) / (weight of scored answers). Visits store those two
weight sums per aspect (SkorAspek), so any period, e-warong or penyedia is a SUM in the database.
"""

from decimal import Decimal

from django.db.models import F, FloatField, Sum
from django.db.models.functions import Cast, NullIf, TruncMonth

from monev.findings import evaluate
from monev.models import Aspek, Jawaban, Kunjungan, SkorAspek


def score_visit(kunjungan):
    """Judge every answer, store the weights per aspect and set the visit's total score (not saved here)."""
    weights = {}
    answers = list(kunjungan.jawaban.select_related("pertanyaan"))
    for jawaban in answers:
        scored, severity = evaluate(jawaban.pertanyaan, jawaban.nilai, kunjungan.tanggal)
        jawaban.patuh = None if not scored else not severity
        jawaban.keparahan = severity
        if scored and jawaban.pertanyaan.bobot:
            patuh, total = weights.get(jawaban.pertanyaan.aspek, (0, 0))
            bobot = jawaban.pertanyaan.bobot
            weights[jawaban.pertanyaan.aspek] = (patuh + (bobot if jawaban.patuh else 0), total + bobot)
    Jawaban.objects.bulk_update(answers, ["patuh", "keparahan"])
    SkorAspek.objects.filter(kunjungan=kunjungan).delete()
    SkorAspek.objects.bulk_create(
        [SkorAspek(kunjungan=kunjungan, aspek=a, bobot_patuh=p, bobot_total=t) for a, (p, t) in weights.items()]
    )
    patuh = sum(p for p, _t in weights.values())
    total = sum(t for _p, t in weights.values())
    kunjungan.skor_total = (Decimal(100 * patuh) / total).quantize(Decimal("0.01")) if total else None
    return kunjungan.skor_total


def _score_expression():
    return 100 * Cast(Sum("bobot_patuh"), FloatField()) / NullIf(Cast(Sum("bobot_total"), FloatField()), 0.0)


def _table(rows, key):
    """Rows of (key, aspect, score) into [{key, aspects: {aspect: score}, total}] in key order."""
    table = {}
    for row in rows:
        if row[key] not in table:
            label = {k: v for k, v in row.items() if k not in ("aspek", "skor", "patuh", "bobot")}
            table[row[key]] = {**label, "aspek": {}, "patuh": 0, "total": 0}
        entry = table[row[key]]
        entry["aspek"][row["aspek"]] = row["skor"]
        entry["patuh"] += row["patuh"]
        entry["total"] += row["bobot"]
    result = []
    for entry in table.values():
        entry["skor_total"] = 100 * entry["patuh"] / entry["total"] if entry["total"] else None
        entry["kolom"] = [entry["aspek"].get(a) for a in Aspek.values]
        result.append(entry)
    return result


def _by(skor_qs, *group):
    return (
        skor_qs.values(*group, "aspek")
        .annotate(skor=_score_expression(), patuh=Sum("bobot_patuh"), bobot=Sum("bobot_total"))
        .order_by(*group, "aspek")
    )


def scored_visits(user):
    return Kunjungan.objects.for_user(user).dinilai()


def ewarong_scorecard(user, ewarong):
    """Month by month 6T scores of one e-warong, over the visits the user may see."""
    skor = SkorAspek.objects.filter(kunjungan__in=scored_visits(user).filter(ewarong=ewarong))
    rows = _by(skor.annotate(bulan=TruncMonth("kunjungan__tanggal")), "bulan")
    return _table(rows, "bulan")


def penyedia_scorecard(user, penyedia):
    """Month by month 6T scores over every e-warong the penyedia supplies, and the score of each e-warong."""
    skor = SkorAspek.objects.filter(kunjungan__in=scored_visits(user).filter(ewarong__penyedia=penyedia))
    per_month = _table(_by(skor.annotate(bulan=TruncMonth("kunjungan__tanggal")), "bulan"), "bulan")
    per_ewarong = _table(_by(skor.annotate(ewarong_nama=F("kunjungan__ewarong__nama")), "ewarong_nama"), "ewarong_nama")
    return per_month, per_ewarong


def ranking(user, group="ewarong", start=None, end=None):
    """Total and aspect scores per e-warong or per penyedia over a period, lowest total first."""
    visits = scored_visits(user)
    if start:
        visits = visits.filter(tanggal__gte=start)
    if end:
        visits = visits.filter(tanggal__lte=end)
    skor = SkorAspek.objects.filter(kunjungan__in=visits)
    if group == "penyedia":
        skor = skor.filter(kunjungan__ewarong__penyedia__isnull=False).annotate(
            key_id=F("kunjungan__ewarong__penyedia_id"), nama=F("kunjungan__ewarong__penyedia__nama")
        )
    else:
        skor = skor.annotate(key_id=F("kunjungan__ewarong_id"), nama=F("kunjungan__ewarong__nama"))
    rows = _table(_by(skor, "key_id", "nama"), "key_id")
    return sorted(rows, key=lambda r: (r["skor_total"] is None, r["skor_total"] or 0))
