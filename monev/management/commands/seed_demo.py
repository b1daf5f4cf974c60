"""`manage.py seed_demo`: the demo registry, distribution, monev and users. What it loads: monev/demo/__init__.py."""

import time
from collections import Counter

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import ProtectedError, RestrictedError

from monev.demo.berkas_bank import seed_bank_files
from monev.demo.distribusi import DemoDistribusi, delete_distribusi
from monev.demo.laporan import seed_reports
from monev.demo.monev import NEXT_RUNG, STATUS, DemoMonev, delete_monev, monev_exists
from monev.demo.publik import write_publik
from monev.demo.rapat import seed_rapat
from monev.demo.registri import DemoRegistry, delete_registry, registry_counts, scaled_counts
from monev.demo.users import ensure_demo_users
from monev.models import Jawaban, Kunjungan, Pengaduan, Penugasan, Temuan, TimMonev, TindakLanjut
from penyaluran.distribusi.models import Periode
from penyaluran.registri.models import EWarong, Kpm
from tikor.formatting import angka


class Command(BaseCommand):
    help = (
        "Memuat data contoh seukuran DKI Jakarta 2021: registri (KPM, e-warong, agen, penyedia), penyaluran, "
        "monev (kunjungan, temuan, tindak lanjut, pengaduan), dan membuat pengguna demo."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="Skala jumlah data; 1 = 206.438 KPM, 253 e-warong, 292 agen, 24 penyedia (bawaan: 1).",
        )
        parser.add_argument("--seed", type=int, default=2021, help="Benih acak; benih yang sama, data yang sama.")
        parser.add_argument(
            "--periode",
            type=int,
            default=12,
            choices=range(13),
            metavar="0-12",
            help=(
                "Jumlah bulan 2021 yang diisi penyaluran dan transaksi, juga jumlah bulan terakhir kegiatan monev; "
                "0 = tanpa data penyaluran dan monev (bawaan: 12)."
            ),
        )
        existing = parser.add_mutually_exclusive_group()
        existing.add_argument(
            "--if-empty", action="store_true", help="Lewati pemuatan data bila registri sudah berisi data."
        )
        existing.add_argument(
            "--hapus",
            action="store_true",
            help="Hapus data monev, penyaluran, KPM, e-warong, agen dan penyedia yang ada, lalu muat ulang.",
        )

    def handle(self, *args, scale, seed, if_empty, hapus, periode=12, **options):
        started = time.monotonic()
        if not 0 < scale <= 10:
            raise CommandError("--scale harus lebih dari 0 dan paling besar 10.")
        existing = registry_counts()
        has_data = any(existing.values())
        registry = None
        if has_data and if_empty:
            self.stdout.write(f"Registri sudah berisi data ({self._counts(existing)}); tidak memuat data (--if-empty).")
        elif has_data and not hapus:
            raise CommandError(
                f"Registri sudah berisi data ({self._counts(existing)}). Jalankan dengan --hapus untuk menghapus "
                "KPM, e-warong, agen dan penyedia lalu memuat ulang, atau --if-empty untuk melewati pemuatan data."
            )
        else:
            registry = DemoRegistry(scaled_counts(scale), seed)
            registry.plan()
            try:
                with transaction.atomic():
                    if has_data:
                        delete_monev()
                        delete_distribusi()
                        delete_registry()
                        self.stdout.write(f"Data lama dihapus ({self._counts(existing)}).")
                    registry.write()
            except (ProtectedError, RestrictedError) as error:
                blocking = getattr(error, "protected_objects", None) or error.restricted_objects
                example = next(iter(blocking))
                raise CommandError(
                    "Data registri tidak bisa dihapus karena masih dipakai data lain, "
                    f"mis. {example._meta.verbose_name} {example}. Hapus data itu dahulu."
                ) from error

        if registry is not None:
            self.stdout.write(self.style.SUCCESS(f"Data dimuat: {self._counts(registry_counts())}."))
            summary = registry.planted_summary()
            if summary:
                self.stdout.write(f"Data bermasalah yang sengaja ditanam: {summary}")

        distribusi = None
        if periode and not Periode.objects.exists() and Kpm.objects.exists():
            distribusi = DemoDistribusi(periode, seed, out=self.stdout.write)
            distribusi.plan()
            totals = distribusi.write()
            self.stdout.write(
                self.style.SUCCESS(
                    f"Penyaluran dimuat: {periode} periode, {angka(totals['penyaluran'])} penyaluran, "
                    f"{angka(totals['transaksi'])} transaksi."
                )
            )

        try:
            logins = ensure_demo_users()
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        if periode:
            seed_bank_files(seed, out=self.stdout.write)

        demo = None
        if periode and EWarong.objects.exists():
            if monev_exists():
                self.stdout.write("Monev sudah berisi data; tidak memuat data monev.")
            else:
                demo = DemoMonev(periode, seed, self._planted(distribusi, periode, seed))
                demo.plan()
                demo.write()
                write_publik(demo)

        if periode:
            reports = seed_reports()
            if reports:
                self.stdout.write(f"Laporan contoh disusun: {reports} (halaman Laporan, /monev/laporan/).")

        if periode:
            seed_rapat(out=self.stdout.write)

        if distribusi is not None and distribusi.summary():
            self.stdout.write(f"E-warong dengan pola penyelewengan yang sengaja ditanam: {distribusi.summary()}.")
        if demo is not None:
            for line in self._monev_lines(demo):
                self.stdout.write(line)
        if connection.vendor == "postgresql":
            # Planner statistics for everything just loaded: PostgreSQL's advice after a bulk load, and the only
            # statistics there are where autovacuum is off.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self._print_logins(logins)
        elapsed = f"{time.monotonic() - started:.1f}".replace(".", ",")
        self.stdout.write(f"Selesai dalam {elapsed} detik.")

    def _counts(self, counts):
        return (
            f"{angka(counts['kpm'])} KPM, {angka(counts['ewarong'])} e-warong, "
            f"{angka(counts['agen'])} agen, {angka(counts['penyedia'])} penyedia"
        )

    def _planted(self, distribusi, periode, seed):
        """The planted e-warong: from this run, else planned again (the same seed on the same registry picks them)."""
        if distribusi is None and Kpm.objects.exists():
            distribusi = DemoDistribusi(periode, seed)
            distribusi.plan()
        return distribusi.planted if distribusi is not None else {}

    def _monev_lines(self, demo):
        """What the monev seed wrote, counted in the database (monev was empty before it)."""
        kunjungan = Counter(Kunjungan.objects.values_list("status", flat=True))
        kanal = Counter(Pengaduan.objects.values_list("kanal", flat=True))
        sanksi = Counter(TindakLanjut.objects.exclude(langkah_sanksi="").values_list("langkah_sanksi", flat=True))
        terbuka = Penugasan.objects.terbuka()
        detik = f"{demo.elapsed:.1f}".replace(".", ",")
        selesai = {
            model: angka(model.objects.filter(status=model.Status.SELESAI).count())
            for model in (TindakLanjut, Pengaduan)
        }
        return [
            self.style.SUCCESS(
                f"Monev dimuat dalam {detik} detik: {TimMonev.objects.count()} tim monev, "
                f"{angka(len(demo.petugas))} akun petugas lapangan tanpa kata sandi, "
                f"{angka(Penugasan.objects.count())} penugasan ({angka(terbuka.count())} terbuka, "
                f"{angka(terbuka.filter(batas_waktu__lt=demo.today).count())} terlambat)."
            ),
            f"  {angka(sum(kunjungan.values()))} kunjungan ("
            + ", ".join(f"{angka(kunjungan[status])} {status.label.lower()}" for status in STATUS)
            + f"), {angka(Jawaban.objects.count())} jawaban.",
            f"  {angka(Temuan.objects.count())} temuan ({angka(Temuan.objects.terbuka().count())} terbuka, "
            f"{angka(Temuan.objects.terlambat().count())} terlambat), {angka(TindakLanjut.objects.count())} "
            f"tindak lanjut ({selesai[TindakLanjut]} selesai, {angka(TindakLanjut.objects.terlambat().count())} "
            "terlambat), sanksi: "
            + ", ".join(f"{angka(sanksi[step])} {step.label.lower()}" for step in NEXT_RUNG.values())
            + ".",
            f"  {angka(sum(kanal.values()))} pengaduan ("
            + ", ".join(f"{angka(kanal[k])} {k.label}" for k in Pengaduan.Kanal)
            + f"), {selesai[Pengaduan]} selesai, {angka(Pengaduan.objects.terlambat().count())} lewat batas, "
            f"{angka(Pengaduan.objects.berulang().count())} berulang.",
        ]

    def _print_logins(self, logins):
        rows = [("Nama pengguna", "Kata sandi", "Peran", "Wilayah")]
        for user, password in logins:
            area = user.area_label
            if user.bank_id:
                area = f"{area} (hanya bank {user.bank.kode})"
            rows.append((user.username, password, str(user.get_role_display()), str(area)))
        widths = [max(len(row[col]) for row in rows) for col in range(4)]
        self.stdout.write(self.style.SUCCESS("Login demo:"))
        for row in rows:
            self.stdout.write(
                "  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
            )
