"""`manage.py cadangkan FOLDER`: back up the database (pg_dump, custom format) and the media folder into FOLDER."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from tikor.backup import BackupError, backup
from tikor.formatting import angka


class Command(BaseCommand):
    help = (
        "Mencadangkan basis data PostgreSQL (pg_dump format custom) dan folder media ke folder baru, dengan "
        "manifest berisi jumlah baris setiap tabel dan SHA-256 setiap berkas media. Pulihkan dengan `pulihkan`."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "folder",
            nargs="?",
            help="Folder baru untuk cadangan; bawaan: cadangan-TTTTBBHH-JJMMDD di folder kerja.",
        )

    def handle(self, *args, folder=None, **options):
        folder = folder or f"cadangan-{datetime.datetime.now():%Y%m%d-%H%M%S}"
        try:
            manifest = backup(folder)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest.jumlah_baris.values())
        self.stdout.write(
            f"Cadangan {manifest.basis_data} tersimpan di {folder}: {angka(len(manifest.jumlah_baris))} tabel, "
            f"{angka(rows)} baris, {angka(len(manifest.berkas_media))} berkas media."
        )
