"""python manage.py import_registry {kpm,ewarong,agen,penyedia} FILE [--dry-run] [--skip-invalid]"""

from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from penyaluran.registri.imports import create_job, run_job
from penyaluran.registri.kinds import KINDS
from tikor.jobs import JobStatus
from tikor.models import User


class Command(BaseCommand):
    help = "Impor registri KPM, e-warong, agen atau penyedia dari berkas XLSX atau CSV."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(KINDS))
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Periksa dan bandingkan saja, tanpa menyimpan.")
        parser.add_argument(
            "--skip-invalid", action="store_true", help="Simpan baris yang valid dan tulis baris yang ditolak ke XLSX."
        )
        parser.add_argument("--user", help="Nama pengguna yang tercatat sebagai pengimpor.")

    def handle(self, *args, kind, file, dry_run, skip_invalid, user, **options):
        if not file.is_file():
            raise CommandError(f"Berkas {file} tidak ditemukan.")
        importer = None
        if user:
            importer = User.objects.filter(username=user).first()
            if importer is None:
                raise CommandError(f"Pengguna {user} tidak ditemukan.")
        with file.open("rb") as f:
            job = create_job(kind, File(f, name=file.name), user=importer, dry_run=dry_run, skip_invalid=skip_invalid)
        for earlier in job.earlier_imports()[:3]:
            self.stderr.write(
                self.style.WARNING(
                    f"Perhatian: berkas dengan isi yang sama sudah diimpor pada {earlier.selesai:%d-%m-%Y %H:%M} "
                    f"(impor #{earlier.pk})."
                )
            )
        run_job(job.pk)
        job.refresh_from_db()
        self._report(job)
        if job.status != JobStatus.SELESAI:
            raise CommandError(job.pesan)

    def _report(self, job):
        out = self.stdout.write
        summary = job.ringkasan
        out(f"Impor #{job.pk} {job.get_jenis_display()} dari {job.nama_berkas}: {job.get_status_display()}")
        if job.status == JobStatus.GAGAL:
            return
        out(f"Baris judul kolom: baris {summary['baris_judul']}")
        if summary["kolom_diabaikan"]:
            out(f"Kolom diabaikan: {', '.join(summary['kolom_diabaikan'])}")
        out(
            f"Dibaca {job.baris_dibaca}; baru {job.jumlah_baru}, berubah {job.jumlah_berubah}, "
            f"tidak berubah {job.jumlah_sama}, tidak valid {job.jumlah_tidak_valid}; ditulis {job.baris_ditulis}."
        )
        if job.jumlah_tidak_ada:
            out(f"Tidak ada di file terbaru: {job.jumlah_tidak_ada} (tidak dihapus).")
        for change in summary["contoh_perubahan"][:10]:
            fields = "; ".join(f"{name}: {before} -> {after}" for name, before, after in change["changes"])
            out(f"  berubah baris {change['row']} ({change['key']}): {fields}")
        for message in summary["kesalahan"][:50]:
            out(f"  {message}")
        if summary["jumlah_kesalahan"] > 50:
            out(f"  ... dan {summary['jumlah_kesalahan'] - 50} kesalahan lain.")
        if job.berkas_kesalahan:
            out(f"Baris yang ditolak: {job.berkas_kesalahan.path}")
        out(job.pesan)
