"""Demo Tikor: its member agencies and people (the demo logins among them), the decree in the document library, a
province meeting five weeks ago with decisions done, in progress and late, a Jakarta Pusat meeting, and a province
meeting next week whose agenda is proposed from the demo data (the late decisions among its first items)."""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from monev.models import (
    AnggotaTikor,
    Dokumen,
    Instansi,
    Kehadiran,
    Keputusan,
    Peran,
    ProgresKeputusan,
    Rapat,
    SkorRisiko,
    TimKoordinasi,
)
from monev.rapat import agenda
from penyaluran.registri.models import Penyedia
from tikor.models import Bank, User, Wilayah

# (name, short name, kind, bank code or None, kota code or None)
INSTANSI = (
    ("Dinas Sosial Provinsi DKI Jakarta", "Dinsos", "dinsos", None, None),
    ("Sekretariat Daerah Provinsi DKI Jakarta (Biro Kesejahteraan Sosial)", "Setda", "pemda", None, None),
    ("Badan Perencanaan Pembangunan Daerah Provinsi DKI Jakarta", "Bappeda", "perencanaan", None, None),
    ("Badan Pusat Statistik Provinsi DKI Jakarta", "BPS", "perencanaan", None, None),
    ("Dinas Kependudukan dan Pencatatan Sipil Provinsi DKI Jakarta", "Dukcapil", "pemda", None, None),
    ("Dinas PPKUKM Provinsi DKI Jakarta", "Dinas PPKUKM", "pemda", None, None),
    ("PT Bank Negara Indonesia (Persero) Tbk", "BNI", "bank", "BNI", None),
    ("PT Bank Rakyat Indonesia (Persero) Tbk", "BRI", "bank", "BRI", None),
    ("PT Bank Mandiri (Persero) Tbk", "Mandiri", "bank", "MANDIRI", None),
    ("Suku Dinas Sosial Kota Administrasi Jakarta Pusat", "Sudinsos Jakpus", "kota", None, "31.71"),
)

# (agency short name, person, position, role in the Tikor, demo login or None)
ORANG = (
    ("Setda", "Drs. Joko Santoso, M.Si.", "Sekretaris Daerah", Peran.KETUA, None),
    ("Dinsos", "Dra. Premi Lasari, M.M.", "Kepala Dinas Sosial", Peran.SEKRETARIS, None),
    ("Dinsos", "Rina Marlina", "Kepala Seksi Bantuan Sosial", Peran.ANGGOTA, "sekretariat"),
    ("Bappeda", "Bambang Prasetyo", "Kepala Subbidang Sosial", Peran.ANGGOTA, "anggota.tikor"),
    ("BPS", "Yuliana Hapsari", "Statistisi Ahli Madya", Peran.ANGGOTA, None),
    ("Dukcapil", "Ahmad Fauzi", "Kepala Bidang Pelayanan", Peran.ANGGOTA, None),
    ("Dinas PPKUKM", "Lestari Wulandari", "Kepala Seksi Distribusi", Peran.ANGGOTA, None),
    ("BNI", "Siti Rahmawati", "Pemimpin Cabang Utama Jakarta Kota", Peran.ANGGOTA, "anggota.bni"),
    ("BRI", "Yudi Hartono", "Kepala Bagian Layanan Bansos", Peran.ANGGOTA, None),
    ("Mandiri", "Nur Aini", "Relationship Manager Pemerintahan", Peran.ANGGOTA, None),
)


def rapat_exists():
    return Rapat.objects.exists()


def _at(day, hour):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def seed_rapat(today=None, out=None):
    """Write the demo Tikor and its meetings; returns the number of meetings (0 when some exist already)."""
    if rapat_exists():
        return 0
    today = today or timezone.localdate()
    banks = {b.kode: b for b in Bank.objects.all()}
    instansi = {}
    for nama, singkatan, jenis, bank, kota in INSTANSI:
        instansi[singkatan], _created = Instansi.objects.get_or_create(
            nama=nama, defaults={"singkatan": singkatan, "jenis": jenis, "bank": banks.get(bank), "wilayah_id": kota}
        )
    sk, _created = Dokumen.objects.get_or_create(
        nomor="437 Tahun 2021",
        defaults={
            "jenis": Dokumen.Jenis.KEPUTUSAN,
            "judul": "Keputusan Gubernur tentang Tim Koordinasi Bantuan Sosial Pangan Provinsi DKI Jakarta",
            "berlaku_mulai": datetime.date(2021, 5, 1),
            "berkas": ContentFile(
                "Kepgub DKI Jakarta Nomor 437 Tahun 2021: Tim Koordinasi Bantuan Sosial Pangan (ringkasan demo).\n",
                name="kepgub-437-2021.txt",
            ),
        },
    )
    dki = TimKoordinasi.objects.get_or_create(
        wilayah_id="31", defaults={"nama": "Tikor BSP Provinsi DKI Jakarta", "sk": sk}
    )[0]
    jakpus = TimKoordinasi.objects.get_or_create(
        wilayah_id="31.71", defaults={"nama": "Tikor BSP Kota Administrasi Jakarta Pusat", "sk": sk}
    )[0]
    users = {u.username: u for u in User.objects.filter(username__in=[o[4] for o in ORANG if o[4]] + ["tikor.jakpus"])}
    for singkatan, nama, jabatan, peran, login in ORANG:
        AnggotaTikor.objects.get_or_create(
            tikor=dki, instansi=instansi[singkatan], nama=nama,
            defaults={"jabatan": jabatan, "peran": peran, "pengguna": users.get(login)},
        )  # fmt: skip
    AnggotaTikor.objects.get_or_create(
        tikor=jakpus, instansi=instansi["Sudinsos Jakpus"], nama="Hendra Gunawan",
        defaults={"jabatan": "Kepala Suku Dinas Sosial", "peran": Peran.SEKRETARIS,
                  "pengguna": users.get("tikor.jakpus")},
    )  # fmt: skip

    sekretariat = users.get("sekretariat")
    # Progress of a decision is recorded by its agency's login where the demo has one, else by the secretariat.
    logins = {singkatan: login for singkatan, _n, _j, _p, login in ORANG if login and login != "sekretariat"}
    lalu = _meeting(
        "Rapat koordinasi Tikor BSP: evaluasi penyaluran", "31", today - datetime.timedelta(days=35),
        "Ruang rapat lt. 3, Dinas Sosial Provinsi DKI Jakarta", "Sekretaris Daerah Provinsi DKI Jakarta",
        instansi.values(), sekretariat,
    )  # fmt: skip
    lalu.notulen = (
        "Sekretariat memaparkan realisasi belanja per kecamatan, e-warong dengan risiko tertinggi dan tindak lanjut "
        "yang lewat batas. Bank diminta menyerahkan daftar KKS yang belum tersalur; Bappeda menyiapkan mekanisme "
        "evaluasi tahun depan; Dinas PPKUKM memantau harga di e-warong yang dilaporkan menjual di atas harga acuan."
    )
    lalu.save(update_fields=["notulen"])
    for singkatan, nama, jabatan, _peran, _login in ORANG[:9]:
        Kehadiran.objects.create(rapat=lalu, instansi=instansi[singkatan], nama=nama, jabatan=jabatan)

    riskiest = SkorRisiko.objects.select_related("ewarong").order_by("-periode__tahun", "-periode__bulan", "-skor")
    riskiest = riskiest.first()
    penyedia = Penyedia.objects.order_by("kode").first()
    past = lalu.tanggal_lokal
    decisions = (
        # (agency, person, text, due in days after the meeting, status, progress [(days after, status, note)])
        ("BNI", "Siti Rahmawati", "Menyerahkan daftar KKS yang belum tersalur per kecamatan kepada sekretariat.",
         14, "selesai", [(6, "berjalan", "Data ditarik dari sistem cabang."), (12, "selesai", "Daftar diserahkan.")]),
        ("Bappeda", "Bambang Prasetyo", "Menyusun rancangan mekanisme evaluasi Program Sembako tahun depan.",
         60, "berjalan", [(10, "berjalan", "Rapat internal bidang sosial; kerangka evaluasi disusun.")]),
        ("Dinas PPKUKM", "Lestari Wulandari", "Memantau harga beras dan telur di e-warong berisiko tinggi.",
         21, "terbuka", []),
        ("Dinsos", "Rina Marlina", "Pembinaan dan teguran tertulis kepada e-warong dengan risiko tertinggi.",
         20, "berjalan", [(8, "berjalan", "Pembinaan pertama dilakukan pendamping.")]),
        ("Dukcapil", "Ahmad Fauzi", "Padan NIK KPM yang tidak valid dengan data kependudukan.", 90, "terbuka", []),
        ("BRI", "Yudi Hartono", "Memastikan EDC di e-warong binaan BRI aktif dan tercatat di registri.",
         10, "selesai", [(9, "selesai", "Seluruh EDC tercatat.")]),
    )  # fmt: skip
    for singkatan, orang, teks, due, status, log in decisions:
        keputusan = Keputusan.objects.create(
            rapat=lalu, teks=teks, instansi=instansi[singkatan], penanggung_jawab=orang,
            batas_waktu=past + datetime.timedelta(days=due), status=status,
            ewarong=riskiest.ewarong if riskiest and singkatan in ("Dinsos", "Dinas PPKUKM") else None,
            penyedia=penyedia if singkatan == "Dinas PPKUKM" else None,
            dokumen=sk if singkatan == "Bappeda" else None,
        )  # fmt: skip
        for days, step, note in log:
            ProgresKeputusan.objects.create(
                keputusan=keputusan, tanggal=past + datetime.timedelta(days=days), catatan=note, status=step,
                oleh=users.get(logins.get(singkatan)) or sekretariat,
            )  # fmt: skip
        if status == "selesai":
            keputusan.selesai_pada = past + datetime.timedelta(days=log[-1][0])
            keputusan.save(update_fields=["selesai_pada"])

    kota = _meeting(
        "Rapat Tikor Kota Jakarta Pusat", "31.71", today - datetime.timedelta(days=20),
        "Ruang rapat Suku Dinas Sosial Jakarta Pusat", "Hendra Gunawan",
        [instansi["Sudinsos Jakpus"], instansi["Dinsos"], instansi["BNI"]], sekretariat,
    )  # fmt: skip
    Kehadiran.objects.create(rapat=kota, instansi=instansi["Sudinsos Jakpus"], nama="Hendra Gunawan",
                             jabatan="Kepala Suku Dinas Sosial")  # fmt: skip
    Keputusan.objects.create(
        rapat=kota, teks="Kunjungan ulang ke e-warong di Gambir yang pengaduannya lewat SLA.",
        instansi=instansi["Sudinsos Jakpus"], penanggung_jawab="Hendra Gunawan",
        batas_waktu=kota.tanggal_lokal + datetime.timedelta(days=10),
    )  # fmt: skip

    _meeting(
        "Rapat koordinasi Tikor BSP bulanan", "31", today + datetime.timedelta(days=7),
        "Ruang rapat lt. 3, Dinas Sosial Provinsi DKI Jakarta", "Sekretaris Daerah Provinsi DKI Jakarta",
        instansi.values(), sekretariat,
    )  # fmt: skip
    if out:
        late, total = Keputusan.objects.terlambat().count(), Keputusan.objects.count()
        out(f"Tikor: {len(INSTANSI)} instansi anggota, 3 rapat, {total} keputusan ({late} terlambat).")
    return 3


def _meeting(judul, kode, day, tempat, pimpinan, diundang, user):
    wilayah = Wilayah.objects.get(kode=kode)
    rapat = Rapat.objects.create(
        judul=judul, tingkat=Rapat.Tingkat.PROVINSI if kode == "31" else Rapat.Tingkat.KOTA, wilayah=wilayah,
        tanggal=_at(day, 9), tempat=tempat, pimpinan=pimpinan, dibuat_oleh=user,
    )  # fmt: skip
    rapat.diundang.set(list(diundang))
    agenda.propose(rapat)
    return rapat
