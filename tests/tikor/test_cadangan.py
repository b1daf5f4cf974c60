"""Backup and restore: `cadangkan` writes the database and the media folder, `pulihkan` brings both back into a fresh
database and an empty folder, and the copy has the same rows in every table and the same files."""

import secrets

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection

from tests.factories import EWarongFactory, KpmFactory, kredit, periode
from tikor import backup
from tikor.models import AuditLog

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump and pg_restore need PostgreSQL")

PHOTO = bytes(range(256)) * 400  # 100 KB that no text mangling would leave alone


@pytest.fixture
def fresh_database():
    """A uniquely named database on the same server, dropped after the test."""
    target = backup.Database.from_settings().renamed(f"pulih_{secrets.token_hex(4)}")
    yield target
    backup.drop_database(target)


def test_client_tools_match_the_server():
    _dump, dump_major = backup.client_major("pg_dump")
    _restore, restore_major = backup.client_major("pg_restore")
    _server, server_major = backup.server_version(backup.Database.from_settings())

    assert dump_major == restore_major == server_major


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_a_fresh_database_with_the_same_rows_and_files(
    sekretariat, tmp_path, settings, fresh_database
):
    settings.MEDIA_ROOT = tmp_path / "media"
    juni = periode()
    for kpm in KpmFactory.create_batch(25):
        kredit(juni, kpm)
    EWarongFactory.create_batch(3)
    AuditLog.objects.create(pengguna=sekretariat, aksi=AuditLog.Aksi.UBAH, objek="tikor.user")
    default_storage.save("kunjungan/2021/06/foto-1.jpg", ContentFile(PHOTO))
    default_storage.save("dokumen/juknis 2021.pdf", ContentFile(b"%PDF-1.7 juknis"))
    default_storage.save("pekerjaan/penyaluran-importjob-9/potongan.csv", ContentFile(b"sementara"))

    call_command("cadangkan", str(tmp_path / "cadangan"))
    call_command(
        "pulihkan", str(tmp_path / "cadangan"), "--basis-data", fresh_database.name, "--buat",
        "--media", str(tmp_path / "pulih"),
    )  # fmt: skip

    original = backup.row_counts(backup.Database.from_settings())
    restored = backup.row_counts(fresh_database)
    assert restored == original
    assert restored[KpmFactory._meta.model._meta.db_table] == 25
    assert backup.media_hashes(tmp_path / "pulih") == backup.media_hashes(settings.MEDIA_ROOT)
    assert (tmp_path / "pulih" / "kunjungan/2021/06/foto-1.jpg").read_bytes() == PHOTO
    # A job's temporary files are work in progress, not data.
    assert not (tmp_path / "pulih" / "pekerjaan").exists()

    # A copy that lost a row or a file's content is named for it.
    (tmp_path / "pulih" / "dokumen/juknis 2021.pdf").write_bytes(b"rusak")
    with fresh_database.connect() as conn, conn.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditLog._meta.db_table}")
    conn.close()
    manifest, audit = backup.Manifest.read(tmp_path / "cadangan"), AuditLog._meta.db_table
    assert backup.compare(manifest, fresh_database, tmp_path / "pulih").describe() == (
        f"tabel {audit}: {original[audit]} baris di cadangan, 0 setelah dipulihkan\n"
        "berkas dokumen/juknis 2021.pdf: isinya berbeda (SHA-256)"
    )


@pytest.mark.django_db(transaction=True)
def test_a_restore_never_writes_over_a_database_with_tables(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("cadangkan", str(tmp_path / "cadangan"))

    with pytest.raises(CommandError, match="sudah berisi tabel"):
        call_command(
            "pulihkan", str(tmp_path / "cadangan"), "--basis-data", connection.settings_dict["NAME"],
            "--media", str(tmp_path / "pulih"),
        )  # fmt: skip
