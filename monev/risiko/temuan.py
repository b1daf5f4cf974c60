"""A bank-data signal turned into a monev finding on its e-warong ("jadikan temuan")."""

from monev.models import Aspek, Keparahan, Temuan
from penyaluran.risiko.detectors import LABEL

# Which 6T aspect a finding made from each kind of signal is about.
TEMUAN_ASPEK = {
    "gesek_kolektif": Aspek.ADMINISTRASI,
    "saldo_penuh": Aspek.JUMLAH,
    "luar_jam": Aspek.ADMINISTRASI,
    "jauh": Aspek.SASARAN,
    "kapasitas": Aspek.ADMINISTRASI,
    "tidak_aktif": Aspek.SASARAN,
    "banyak_outlet": Aspek.SASARAN,
    "sebelum_kartu": Aspek.SASARAN,
    "realisasi_rendah": Aspek.WAKTU,
    "penyedia_dominan": Aspek.HARGA,
}


def jadikan_temuan(sinyal, user):
    """(temuan, created): a finding made from the signal; an open finding made from it before is reused."""
    judul = f"{LABEL.get(sinyal.jenis, sinyal.jenis)} – {sinyal.periode}"[:200]
    existing = Temuan.objects.terbuka().filter(ewarong=sinyal.ewarong, judul=judul).first()
    if existing:
        return existing, False
    lines = [f"Sinyal data bank periode {sinyal.periode}: {sinyal.uraian}."]
    for row in sinyal.bukti[:10]:
        lines.append("- " + ", ".join(f"{k}: {v}" for k, v in row.items()))
    temuan = Temuan.objects.create(
        ewarong=sinyal.ewarong,
        judul=judul,
        uraian="\n".join(lines),
        aspek=TEMUAN_ASPEK.get(sinyal.jenis, Aspek.ADMINISTRASI),
        keparahan=Keparahan.TINGGI,
        dibuat_oleh=user,
    )
    return temuan, True
