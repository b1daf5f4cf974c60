"""python manage.py perbarui_ringkasan TAHUN BULAN: rebuild a period's realisation summary, signals and risk scores.

Imports do this after each bank file; this is for a refresh that failed, or after the risk parameters changed.
"""

from django.core.management.base import BaseCommand, CommandError

from penyaluran.distribusi.models import Periode
from penyaluran.distribusi.periode import refresh_after_import


class Command(BaseCommand):
    help = "Perbarui ringkasan realisasi, sinyal dan skor risiko satu periode."

    def add_arguments(self, parser):
        parser.add_argument("tahun", type=int)
        parser.add_argument("bulan", type=int)

    def handle(self, *args, tahun, bulan, **options):
        periode = Periode.objects.filter(tahun=tahun, bulan=bulan).first()
        if periode is None:
            raise CommandError(f"Periode {bulan:02d}/{tahun} belum dibuat.")
        refresh_after_import(periode)
        self.stdout.write(self.style.SUCCESS(f"Ringkasan dan skor risiko {periode} diperbarui."))
