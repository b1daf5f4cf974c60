"""The answers a pendamping gives at an e-warong: believable values that keep or break each question's rule."""

from monev.demo import teks
from monev.models import HargaAcuan, Jawaban, Pertanyaan


def answers(demo, kunjungan, outlet, visit, rng):
    """The answers of one visit; `visit.verify` and `visit.paksa` say which must break or keep their rule.

    A re-visit, made to check corrective actions, finds only what the e-warong keeps doing: its pattern.
    """
    chance = {} if visit.ulang else dict(teks.PELANGGARAN_BIASA)
    chance.update(teks.PELANGGARAN_POLA.get(outlet.pola, {}))
    forced = {**{t.pertanyaan.kode: not fixed for t, fixed in visit.verify if t.pertanyaan_id}, **visit.paksa}
    answers = []
    for q in demo.questions:
        bad = rng.random() < chance.get(q.kode, 0)
        bad = forced.get(q.kode, bad)
        value = _value(demo, q, bad, outlet, visit.tanggal, rng)
        if value is None:
            continue
        note = teks.KETERANGAN.get(q.kode, "").format(n=rng.randint(5, 40)) if bad else ""
        answers.append(Jawaban(kunjungan=kunjungan, pertanyaan=q, nilai=value, keterangan=note))
    return answers


def _value(demo, q, bad, outlet, tanggal, rng):
    """A believable answer: what the field would see, breaking the question's rule when `bad`."""
    rule = q.aturan
    if q.tipe == Pertanyaan.Tipe.YA_TIDAK:
        return rule["jika"] if bad else {"ya": "tidak", "tidak": "ya"}[rule["jika"]]
    if q.kode == "E20":
        return str(max(0, outlet.load + rng.randint(-5, 5)))
    if q.kode == "E16":
        return str(rng.randint(930, 975) if bad else rng.randint(990, 1010))
    if q.kode == "E15":
        return teks.RUSAK if bad else rng.choices((teks.BAIK, teks.KURANG), (9, 1))[0]
    if q.kode == "E21":
        return "berulang" if bad else rng.choices(("tidak pernah", "sekali"), (85, 15))[0]
    if q.kode == "E17":
        return teks.PEMASOK_POLA.get(outlet.pola, teks.PEMASOK_PENYEDIA) if bad else teks.PEMASOK_SENDIRI
    if q.kode == "E17B":
        return outlet.penyedia or None
    if q.tipe != Pertanyaan.Tipe.HARGA:
        return None  # photo and GPS questions are not answered in the form
    reference = _acuan(demo, rule.get("acuan"), tanggal)
    if reference is None:  # no reference price set: a plain market price, not scored
        return rng.randrange(8000, 16000, 500) if rng.random() < 0.7 else None
    if "batas_persen" in rule and [0, "tinggi"] in rule["batas_persen"]:  # a HET: never above it
        factor = rng.uniform(1.03, 1.15) if bad else rng.uniform(0.93, 1.0)
        return int(reference * factor // 100 * 100)
    if bad:
        factor = rng.uniform(1.12, 1.22) if rng.random() < 0.5 else rng.uniform(1.28, 1.4)
    else:
        factor = rng.uniform(0.9, 1.08)
    return int(round(reference * factor, -2))


def _acuan(demo, kode, tanggal):
    """The reference price in force on `tanggal`, as HargaAcuan.berlaku gives it, from rows read once."""
    if not demo.acuan:
        for row in HargaAcuan.objects.order_by("kode", "berlaku_mulai").values_list("kode", "berlaku_mulai", "nilai"):
            demo.acuan.setdefault(row[0], []).append(row[1:])
    in_force = [nilai for mulai, nilai in demo.acuan.get(kode, ()) if mulai <= tanggal]
    return in_force[-1] if in_force else None
