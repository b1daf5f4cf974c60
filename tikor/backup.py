"""Backup and restore of the whole site: the PostgreSQL database and the media folder.

A backup is a folder holding three files:
- `basisdata.dump`: `pg_dump --format=custom` of the database, one consistent snapshot;
- `media.tar`: the media root (photos, documents, uploaded and produced job files), without the temporary folders
  of running jobs and uploads in progress. Photos are JPEG already: an uncompressed tar costs no CPU for nothing;
- `manifest.json`: when and from what it was made, the row count of every table and the SHA-256 of every media file,
  which `restore` checks the restored copy against.

The snapshot of the database is taken first, the media after: a file written in between is in the tar without a row
pointing to it, never the other way round.
"""

import datetime
import hashlib
import json
import os
import shutil
import subprocess
import tarfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection

DUMP, MEDIA, MANIFEST = "basisdata.dump", "media.tar", "manifest.json"
# Folders of the media root that hold work in progress, not data: a job's temporary files and streamed uploads.
TRANSIENT = {"pekerjaan", "unggahan-sementara"}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, in Indonesian."""


@dataclass
class Database:
    """Where a PostgreSQL database is, as the client tools take it."""

    name: str
    host: str = "127.0.0.1"
    port: str = "5432"
    user: str = "postgres"
    password: str = ""

    @classmethod
    def from_settings(cls, settings_dict=None):
        db = settings_dict or connection.settings_dict
        if "postgresql" not in db["ENGINE"]:
            raise BackupError("Cadangan hanya untuk PostgreSQL; basis data yang dipakai sekarang bukan PostgreSQL.")
        return cls(
            name=db["NAME"],
            host=db.get("HOST") or "127.0.0.1",
            port=str(db.get("PORT") or 5432),
            user=db.get("USER") or "postgres",
            password=db.get("PASSWORD") or "",
        )

    def renamed(self, name):
        return Database(name, self.host, self.port, self.user, self.password)

    def args(self):
        return ["--host", self.host, "--port", self.port, "--username", self.user, "--no-password"]

    def env(self):
        return {**os.environ, "PGPASSWORD": self.password} if self.password else dict(os.environ)

    def connect(self):
        import psycopg2

        try:
            return psycopg2.connect(
                dbname=self.name, host=self.host, port=self.port, user=self.user, password=self.password or None
            )
        except psycopg2.OperationalError as exc:
            raise BackupError(f"Tidak dapat terhubung ke basis data {self.name}: {str(exc).strip()}") from exc


@dataclass
class Manifest:
    dibuat: str
    basis_data: str
    versi_server: str
    versi_pg_dump: str
    jumlah_baris: dict = field(default_factory=dict)
    berkas_media: dict = field(default_factory=dict)

    def write(self, folder):
        (Path(folder) / MANIFEST).write_text(json.dumps(self.__dict__, indent=1, sort_keys=True))

    @classmethod
    def read(cls, folder):
        path = Path(folder) / MANIFEST
        if not path.exists():
            raise BackupError(f"{path} tidak ada: folder ini bukan cadangan yang dibuat oleh `cadangkan`.")
        return cls(**json.loads(path.read_text()))


def _run(command, database):
    done = subprocess.run(command, env=database.env(), capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{command[0]} gagal (kode {done.returncode}): {done.stderr.strip()[-2000:]}")
    return done.stdout


def client_major(tool):
    """The major version of a PostgreSQL client tool on PATH: `pg_dump (PostgreSQL) 15.20` -> 15."""
    if shutil.which(tool) is None:
        raise BackupError(f"{tool} tidak ditemukan; pasang postgresql-client dengan versi yang sama dengan server.")
    version = subprocess.run([tool, "--version"], capture_output=True, text=True, check=True).stdout.strip()
    return version, int(version.split()[-1].split(".")[0])


def server_version(database):
    with database.connect() as conn, conn.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0].split()[0]
    conn.close()
    return version, int(version.split(".")[0])


def row_counts(database):
    """Exact row count of every table of the public schema, by name."""
    conn = database.connect()
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
            tables = [name for (name,) in cursor.fetchall()]
            counts = {}
            for table in tables:
                cursor.execute(f'SELECT count(*) FROM public."{table}"')
                counts[table] = cursor.fetchone()[0]
    finally:
        conn.close()
    return counts


def _media_files(root):
    """Every file of the media root but the transient ones, as paths relative to it, sorted."""
    root = Path(root)
    if not root.exists():
        return []
    found = []
    for folder, subfolders, files in os.walk(root):
        if Path(folder) == root:
            subfolders[:] = [name for name in subfolders if name not in TRANSIENT]
        found.extend(str((Path(folder) / name).relative_to(root)) for name in files)
    return sorted(found)


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def media_hashes(root):
    return {name: sha256(Path(root) / name) for name in _media_files(root)}


def backup(folder, database=None, media_root=None):
    """Write a backup of `database` (the configured one by default) and `media_root` into the new folder `folder`;
    returns its Manifest."""
    database = database or Database.from_settings()
    media_root = Path(media_root or settings.MEDIA_ROOT)
    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()):
        raise BackupError(f"Folder {folder} sudah berisi berkas; pilih folder baru untuk cadangan.")
    dump_version, dump_major = client_major("pg_dump")
    server, server_major = server_version(database)
    if dump_major < server_major:
        raise BackupError(f"{dump_version} lebih lama dari server PostgreSQL {server}; pasang pg_dump {server_major}.")
    folder.mkdir(parents=True, exist_ok=True)
    try:
        _run(["pg_dump", *database.args(), "--format=custom", "--file", str(folder / DUMP), database.name], database)
        # Counted after the dump: a row written in between is counted but not in the dump, and restore says so.
        # On a quiet site (a nightly backup) the two agree.
        counts = row_counts(database)
        hashes = {}
        with tarfile.open(folder / MEDIA, "w") as tar:
            for name in _media_files(media_root):
                tar.add(media_root / name, arcname=name, recursive=False)
                hashes[name] = sha256(media_root / name)
        manifest = Manifest(
            dibuat=datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            basis_data=database.name,
            versi_server=server,
            versi_pg_dump=dump_version,
            jumlah_baris=counts,
            berkas_media=hashes,
        )
        manifest.write(folder)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)  # half a backup must not pass for one
        raise
    return manifest


def _on_server(database, sql):
    """Run `sql` outside a transaction on the server of `database`, connected to its `postgres` database."""
    admin = database.renamed("postgres").connect()
    try:
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute(sql)
    finally:
        admin.close()


def create_database(database):
    """Create the empty database `database`."""
    import psycopg2

    try:
        _on_server(database, f'CREATE DATABASE "{database.name}"')
    except psycopg2.errors.DuplicateDatabase as exc:
        raise BackupError(f"Basis data {database.name} sudah ada; pilih nama lain untuk --buat.") from exc


def drop_database(database):
    _on_server(database, f'DROP DATABASE IF EXISTS "{database.name}" WITH (FORCE)')


@dataclass
class Differences:
    """What a restored copy does not share with its manifest; empty when they agree."""

    tables: dict = field(default_factory=dict)  # name -> (in the manifest, restored)
    files: dict = field(default_factory=dict)  # name -> what is wrong with it

    def __bool__(self):
        return bool(self.tables or self.files)

    def describe(self):
        lines = [f"tabel {name}: {want} baris di cadangan, {got} setelah dipulihkan" for name, (want, got) in
                 sorted(self.tables.items())]  # fmt: skip
        lines += [f"berkas {name}: {what}" for name, what in sorted(self.files.items())]
        return "\n".join(lines)


def compare(manifest, database, media_root):
    differences = Differences()
    counts = row_counts(database)
    for table in sorted(set(manifest.jumlah_baris) | set(counts)):
        want, got = manifest.jumlah_baris.get(table), counts.get(table)
        if want != got:
            differences.tables[table] = (want, got)
    for name, digest in manifest.berkas_media.items():
        path = Path(media_root) / name
        if not path.exists():
            differences.files[name] = "tidak ada"
        elif sha256(path) != digest:
            differences.files[name] = "isinya berbeda (SHA-256)"
    return differences


def restore(folder, database, media_root, *, create=False):
    """Restore the backup in `folder` into `database` (empty, or created when `create`) and the media files into
    `media_root` (missing or empty), then compare both with the manifest; returns the Differences."""
    folder, media_root = Path(folder), Path(media_root)
    manifest = Manifest.read(folder)
    for name in (DUMP, MEDIA):
        if not (folder / name).exists():
            raise BackupError(f"{folder / name} tidak ada; cadangan ini tidak lengkap.")
    client_major("pg_restore")
    if media_root.exists() and any(media_root.iterdir()):
        raise BackupError(f"Folder media {media_root} tidak kosong; pulihkan ke folder kosong atau yang belum ada.")
    if create:
        create_database(database)
    elif row_counts(database):
        raise BackupError(
            f"Basis data {database.name} sudah berisi tabel; pulihkan ke basis data kosong (atau pakai --buat)."
        )
    _run(
        ["pg_restore", *database.args(), "--dbname", database.name, "--no-owner", "--exit-on-error",
         "--single-transaction", str(folder / DUMP)],
        database,
    )  # fmt: skip
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(folder / MEDIA) as tar:
        tar.extractall(media_root, filter="data")
    return compare(manifest, database, media_root)
