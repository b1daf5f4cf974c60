"""Demo of the bank-file tools: every e-warong's EDC terminal, two banks' file profiles, and two imports of
small files in those banks' own layouts through the real import: one saved (it can be rolled back), one a
preview that stops at terminals nobody has mapped yet and at purchases at another bank's e-warong."""

import datetime
import io
import random

from django.core.files.base import ContentFile
from openpyxl import Workbook

from penyaluran.distribusi import bank_files
from penyaluran.distribusi.models import ImporBank, Periode, ProfilKolomBank
from penyaluran.registri.models import EWarong, Kpm, TerminalEdc
from tikor.models import Bank, Role, User

ROWS = 40


def terminal_id(ewarong):
    return f"{ewarong.bank.kode[:3]}{ewarong.pk:05d}"


def seed_bank_files(seed, out=print):
    """Terminals, profiles and two demo imports; nothing when terminals exist already."""
    if TerminalEdc.objects.exists() or not EWarong.objects.exists():
        return
    ewarong = list(EWarong.objects.select_related("bank").order_by("pk"))
    start = datetime.date(2021, 1, 1)
    TerminalEdc.objects.bulk_create(
        TerminalEdc(
            kunci=TerminalEdc.key_of(e.bank.kode, terminal_id(e), start),
            bank=e.bank,
            terminal=terminal_id(e),
            ewarong=e,
            berlaku_dari=start,
            keterangan="Daftar terminal dari bank (data contoh)",
        )
        for e in ewarong
    )
    periode = Periode.objects.filter(status=Periode.Status.BUKA).order_by("-tahun", "-bulan").first()
    staff = User.objects.filter(role=Role.SEKRETARIAT).order_by("pk").first()
    if periode is None:
        return
    rng = random.Random(seed)
    bri, mandiri = Bank.objects.get(kode="BRI"), Bank.objects.get(kode="MANDIRI")
    ProfilKolomBank.objects.update_or_create(
        bank=bri,
        jenis=ProfilKolomBank.Jenis.TRANSAKSI,
        defaults={
            "kolom": {"referensi": "NO REFERENSI", "waktu": "TGL TRX", "jam": "JAM TRX", "jumlah": "JUMLAH (RP)",
                      "nomor_kks": "NO KARTU", "terminal": "TID"},
            "pemisah": "|",
            "format_waktu": "%d/%m/%Y",
            "format_jam": "%H:%M:%S",
            "notasi_jumlah": "id",
        },
    )  # fmt: skip
    ProfilKolomBank.objects.update_or_create(
        bank=mandiri,
        jenis=ProfilKolomBank.Jenis.TRANSAKSI,
        defaults={
            "kolom": {"referensi": "ID Transaksi", "waktu": "Waktu Transaksi", "jumlah": "Nilai",
                      "nomor_kks": "Nomor Kartu", "kode_ewarong": "Kode Outlet"},
            "baris_judul": 4,
        },
    )  # fmt: skip
    bni_outlet = next((e for e in ewarong if e.bank.kode == "BNI"), None)
    saved = _mandiri_file(rng, periode, [e for e in ewarong if e.bank_id == mandiri.pk])
    preview = _bri_file(rng, periode, [e for e in ewarong if e.bank_id == bri.pk], bni_outlet)
    if saved:
        job = _run(mandiri, "mandiri-transaksi-demo.xlsx", saved, staff)
        write = bank_files.job_on_same_file(job, user=staff, dry_run=False, peringatan_diterima=bool(job.peringatan))
        bank_files.run_job(write.pk)
        write.refresh_from_db()
        out(f"Impor berkas bank contoh: {write.pesan}")
    if preview:
        job = _run(bri, "bri-transaksi-demo.txt", preview, staff)
        out(f"Pratinjau berkas bank contoh: {job.pesan}")


def _run(bank, name, content, staff):
    job = ImporBank(bank=bank, jenis=ProfilKolomBank.Jenis.TRANSAKSI, nama_berkas=name, dibuat_oleh=staff)
    job.berkas.save(name, ContentFile(content), save=False)
    job.save()
    bank_files.run_job(job.pk)
    job.refresh_from_db()
    return job


def _cards(outlet, count):
    return list(Kpm.objects.filter(ewarong=outlet).exclude(nomor_kks="").values_list("nomor_kks", flat=True)[:count])


def _bri_file(rng, periode, outlets, other_bank_outlet):
    """Pipe-delimited, date and time in two columns, outlets by terminal id: two terminals unknown, and a few
    purchases at another bank's e-warong."""
    if not outlets:
        return None
    lines = ["NO REFERENSI|TGL TRX|JAM TRX|JUMLAH (RP)|NO KARTU|TID|NAMA OUTLET"]
    for i in range(ROWS):
        outlet = outlets[i % len(outlets)]
        tid, name = terminal_id(outlet), outlet.nama
        if i % 10 == 9:
            tid, name = f"EDC-BARU-{i % 3 + 1:02d}", "TERMINAL BARU"
        elif i % 13 == 5 and other_bank_outlet:
            outlet, tid, name = other_bank_outlet, terminal_id(other_bank_outlet), other_bank_outlet.nama
            tid = other_bank_outlet.kode  # the outlet's code in the terminal column
        cards = _cards(outlet, 3) or ["6000000000000000"]
        day = rng.randint(6, 25)
        hour, minute = rng.randint(8, 18), rng.randint(0, 59)
        amount = rng.choice([35_000, 52_500, 78_000, 100_000, 125_000])
        lines.append(
            f"BRI-DEMO-{periode.pk}-{i:04d}|{day:02d}/{periode.bulan:02d}/{periode.tahun}|{hour:02d}:{minute:02d}:"
            f"{rng.randint(0, 59):02d}|{amount:,}".replace(",", ".")
            + f"|{rng.choice(cards)}|{tid}|{name}"
        )
    return ("\n".join(lines) + "\n").encode()


def _mandiri_file(rng, periode, outlets):
    """XLSX with title rows above the header, outlets by e-warong code, real times."""
    if not outlets:
        return None
    book = Workbook()
    sheet = book.active
    sheet.append(["LAPORAN TRANSAKSI PROGRAM SEMBAKO - BANK MANDIRI"])
    sheet.append([f"Periode: {periode}"])
    sheet.append([])
    sheet.append(["No", "ID Transaksi", "Waktu Transaksi", "Nilai", "Nomor Kartu", "Kode Outlet"])
    for i in range(ROWS // 2):
        outlet = outlets[i % len(outlets)]
        cards = _cards(outlet, 3)
        if not cards:
            continue
        moment = datetime.datetime(
            periode.tahun, periode.bulan, rng.randint(6, 25), rng.randint(8, 18), rng.randint(0, 59)
        )
        sheet.append([i + 1, f"MDR-DEMO-{periode.pk}-{i:04d}", moment, rng.choice([45_000, 90_000, 110_000]),
                      rng.choice(cards), outlet.kode])  # fmt: skip
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
