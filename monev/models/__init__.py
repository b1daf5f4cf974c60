"""Field evaluation: instruments, teams and assignments, visits, findings with follow-up, complaints, documents,
the combined e-warong risk, and the Tikor's meetings and decisions. One module per subject; this package gathers
them for Django and for imports.

Every model a person reaches by area has a ScopedQuerySet naming where its region is, so the one gate
`Model.objects.for_user(user)` applies. Instruments, reference prices and documents are province-wide.
"""

from monev.models.common import Aspek, Keparahan, sla_tindak_lanjut_hari, this_year, today
from monev.models.dokumen import Dokumen
from monev.models.instrumen import Bagian, HargaAcuan, Instrumen, Pertanyaan
from monev.models.kunjungan import Foto, Jawaban, Kunjungan, SkorAspek, foto_path
from monev.models.laporan import Laporan
from monev.models.pengaduan import POLA_KATEGORI, Pengaduan
from monev.models.penugasan import Penugasan, TimMonev
from monev.models.publik import KodePublik
from monev.models.rapat import (
    AnggotaTikor,
    ButirAgenda,
    Instansi,
    Kehadiran,
    Keputusan,
    Lampiran,
    Peran,
    ProgresKeputusan,
    Rapat,
    TimKoordinasi,
    instansi_of,
)
from monev.models.risiko import SkorRisiko
from monev.models.temuan import LangkahSanksi, Temuan, TindakLanjut

__all__ = [
    "instansi_of",
    "TimKoordinasi",
    "Rapat",
    "ProgresKeputusan",
    "Peran",
    "Lampiran",
    "Keputusan",
    "Kehadiran",
    "Instansi",
    "ButirAgenda",
    "AnggotaTikor",
    "Aspek",
    "Bagian",
    "Dokumen",
    "Foto",
    "HargaAcuan",
    "Instrumen",
    "Jawaban",
    "Keparahan",
    "KodePublik",
    "Kunjungan",
    "Laporan",
    "LangkahSanksi",
    "POLA_KATEGORI",
    "Pengaduan",
    "Penugasan",
    "Pertanyaan",
    "SkorAspek",
    "SkorRisiko",
    "Temuan",
    "TimMonev",
    "TindakLanjut",
    "foto_path",
    "sla_tindak_lanjut_hari",
    "this_year",
    "today",
]
