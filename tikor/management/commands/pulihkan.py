"""`manage.py pulihkan FOLDER --basis-data NAMA --media PATH`: restore a backup of `cadangkan` and check it."""

from django.core.management.base import BaseCommand, CommandError

from tikor.backup import BackupError, Database, restore


class Command(BaseCommand):
    help = (
        "Memulihkan cadangan dari `cadangkan` ke basis data kosong (atau yang dibuat dengan --buat) dan folder media "
        "kosong, lalu mencocokkan jumlah baris setiap tabel dan SHA-256 setiap berkas dengan manifest cadangan."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", help="Folder cadangan yang dibuat oleh `cadangkan`.")
        parser.add_argument(
            "--basis-data",
            required=True,
            metavar="NAMA",
            help="Nama basis data tujuan, di server PostgreSQL yang sama dengan DATABASE_URL.",
        )
        parser.add_argument("--buat", action="store_true", help="Buat basis data tujuan dulu (harus belum ada).")
        parser.add_argument(
            "--media", required=True, metavar="PATH", help="Folder media tujuan (belum ada atau kosong)."
        )

    def handle(self, *args, folder, basis_data, buat, media, **options):
        try:
            target = Database.from_settings().renamed(basis_data)
            differences = restore(folder, target, media, create=buat)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if differences:
            raise CommandError(f"Hasil pemulihan berbeda dari cadangan:\n{differences.describe()}")
        self.stdout.write(
            f"Cadangan {folder} dipulihkan ke basis data {basis_data} dan folder {media}; jumlah baris setiap tabel "
            "dan isi setiap berkas sama dengan manifest."
        )
