"""A trigram index on the KPM name, so that a search by part of a name ("siti rah") reads the index instead of
scanning 206.438 rows. PostgreSQL only (pg_trgm); on SQLite the search scans, which the small laptop data allows.

The index is on UPPER(nama::text), the expression Django's `icontains` writes, so the admin's search and the
KPM search page (Kpm.objects.cari) use it unchanged. It is not in the model state: SQLite could not build it.
"""

from django.db import migrations

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS penyaluran_kpm_nama_trgm ON penyaluran_kpm USING gin (UPPER(nama::text) gin_trgm_ops)",
]
DROP = ["DROP INDEX IF EXISTS penyaluran_kpm_nama_trgm"]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("penyaluran", "0016_profil_terminal_dan_pembatalan")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP))]
