"""Load the 318 DKI regions (Kemendagri codes) and postal codes from the copy shipped in tikor/data."""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"
PREFIXES = ("Kota Administrasi ", "Kabupaten Administrasi ")


def short_name(nama):
    for prefix in PREFIXES:
        if nama.startswith(prefix):
            return nama[len(prefix):]
    return nama


def load(apps, schema_editor):
    Wilayah = apps.get_model("tikor", "Wilayah")
    with open(DATA / "kodepos_dki.csv", encoding="utf-8") as f:
        kodepos = {row["kode_kelurahan"]: row["kodepos"] for row in csv.DictReader(f)}
    with open(DATA / "wilayah_dki.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    # Parents come before children in the file (sorted by code), so induk always exists.
    Wilayah.objects.bulk_create(
        Wilayah(
            kode=row["kode"],
            nama=row["nama"],
            nama_singkat=short_name(row["nama"]),
            tingkat=row["tingkat"],
            induk_id=row["induk"] or None,
            kodepos=kodepos.get(row["kode"], ""),
        )
        for row in sorted(rows, key=lambda r: r["kode"])
    )


def unload(apps, schema_editor):
    apps.get_model("tikor", "Wilayah").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("tikor", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
