"""`manage.py buat_pengguna USERNAME --peran ... [--wilayah KODE ...]`: create or update one person's account."""

import getpass
import os

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from tikor.accounts import create_or_update_user, resolve_area, resolve_bank
from tikor.models import Role, User


class Command(BaseCommand):
    help = (
        "Membuat pengguna baru atau memperbarui pengguna yang ada: peran, wilayah tugas, bank, nama, instansi "
        "dan kata sandi. Kata sandi ditanyakan dua kali, kecuali --password-env menyebut variabel lingkungan "
        "yang berisi kata sandi."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="Nama pengguna untuk login.")
        parser.add_argument("--peran", required=True, help=f"Peran: {', '.join(Role.values)}.")
        parser.add_argument(
            "--wilayah",
            nargs="+",
            action="extend",
            default=[],
            metavar="KODE",
            help="Kode wilayah tugas (Kemendagri): satu kota untuk tikor_kota (31.71), satu atau lebih kecamatan "
            "untuk pendamping (31.71.01), kosong atau satu kota untuk anggota, kosong untuk sekretariat.",
        )
        parser.add_argument("--bank", metavar="KODE", help="Untuk staf bank: hanya data bank ini yang terlihat (BNI).")
        parser.add_argument("--nama", help='Nama lengkap, mis. "Dewi Lestari".')
        parser.add_argument("--instansi", help="Instansi asal, mis. Suku Dinas Sosial Jakarta Pusat.")
        parser.add_argument("--email")
        parser.add_argument(
            "--password-env", metavar="VAR", help="Ambil kata sandi dari variabel lingkungan ini, tanpa bertanya."
        )

    def handle(self, *args, username, peran, wilayah, bank, nama, instansi, email, password_env, **options):
        with translation.override(settings.LANGUAGE_CODE):
            fields = {}
            if nama is not None:
                first_name, _space, last_name = nama.strip().partition(" ")
                fields.update(first_name=first_name, last_name=last_name.strip())
            if instansi is not None:
                fields["instansi"] = instansi
            if email is not None:
                fields["email"] = email
            try:
                # Check what was typed before asking for a password; create_or_update_user checks again.
                resolve_area(peran, wilayah)
                if bank:
                    resolve_bank(bank)
                password = self._password(password_env, User(username=username, **fields))
                user, created = create_or_update_user(username, peran, wilayah, password, bank_kode=bank, **fields)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from error
        action = "dibuat" if created else "diperbarui"
        self.stdout.write(
            self.style.SUCCESS(f"Pengguna {user.username} {action}: {user.get_role_display()}, {user.area_label}.")
        )

    def _password(self, variable, user):
        if variable:
            password = os.environ.get(variable)
            if not password:
                raise CommandError(f"Variabel lingkungan {variable} kosong atau tidak ada.")
        else:
            password = getpass.getpass("Kata sandi: ")
            if password != getpass.getpass("Ulangi kata sandi: "):
                raise CommandError("Kedua kata sandi tidak sama.")
            if not password:
                raise CommandError("Kata sandi tidak boleh kosong.")
        try:
            password_validation.validate_password(password, user)
        except ValidationError as error:
            raise CommandError("Kata sandi ditolak: " + " ".join(error.messages)) from error
        return password
