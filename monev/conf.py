"""Monev knobs with defaults; a deployment may override any of them in Django settings."""

from django.conf import settings

DEFAULTS = {
    # Days to act on a finding, by severity (derived; the programme sets no official figure).
    "MONEV_SLA_TINDAK_LANJUT_HARI": {"kritis": 3, "tinggi": 14, "sedang": 30, "rendah": 60},
    # SP4N-LAPOR!: first response within 3 days; settle by the kind of handling (PROGRAM_SEMBAKO.md section 5).
    "MONEV_SLA_RESPONS_PENGADUAN_HARI": 3,
    "MONEV_SLA_PENGADUAN_HARI": {"informasi": 5, "tanpa_cek": 14, "cek_lapangan": 60},
    # This many complaints about one e-warong within the window flag it as a repeat.
    "MONEV_PENGADUAN_BERULANG_JUMLAH": 3,
    "MONEV_PENGADUAN_BERULANG_HARI": 30,
    # A visit recorded farther than this from the e-warong's registered point is flagged.
    "MONEV_JARAK_PERINGATAN_M": 500,
    # Photos arrive resized by the phone; anything larger is refused.
    "MONEV_FOTO_MAKS_BYTE": 3 * 1024 * 1024,
    # The public e-warong page (monev.publik), rates as django-ratelimit reads them ("10/h": ten an hour).
    # Complaints sent from one address (mobile carriers put many phones behind one), and about one e-warong.
    "MONEV_PUBLIK_ADUAN_PER_ALAMAT": "10/h",
    "MONEV_PUBLIK_ADUAN_PER_EWARONG": "20/h",
    # Public pages opened from one address (codes looked up, statuses read): slows guessing codes.
    "MONEV_PUBLIK_HALAMAN_PER_ALAMAT": "120/10m",
    # Bands of the combined e-warong risk score (monev.risiko.scores) on the lists and the planner.
    "MONEV_RISIKO_TINGGI": 70,
    "MONEV_RISIKO_SEDANG": 40,
    # Days given for the re-visit that verifies a closed corrective action.
    "MONEV_KUNJUNGAN_ULANG_HARI": 14,
}


def get(name):
    return getattr(settings, name, DEFAULTS[name])
