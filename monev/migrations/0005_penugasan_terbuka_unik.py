"""One open routine assignment per e-warong and instrument. Duplicates made before (the old form allowed them) are
cancelled first, the earliest-made one of each pair kept, with a note saying why."""

from django.conf import settings
from django.db import migrations, models

NOTE = "Dibatalkan otomatis: penugasan ganda (e-warong dan instrumen yang sama masih punya penugasan terbuka)."


def cancel_duplicates(apps, schema_editor):
    Penugasan = apps.get_model("monev", "Penugasan")
    seen = set()
    open_routine = Penugasan.objects.filter(status="terbuka", asal_tindak_lanjut__isnull=True).order_by("id")
    duplicates = []
    for pk, ewarong_id, instrumen_id in open_routine.values_list("pk", "ewarong_id", "instrumen_id"):
        key = (ewarong_id, instrumen_id)
        if key in seen:
            duplicates.append(pk)
        seen.add(key)
    Penugasan.objects.filter(pk__in=duplicates).update(status="batal", catatan=NOTE)


class Migration(migrations.Migration):
    dependencies = [
        ("monev", "0004_kode_publik_dan_pengaduan_qr"),
        ("penyaluran", "0017_kpm_nama_trigram"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(cancel_duplicates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="penugasan",
            constraint=models.UniqueConstraint(
                condition=models.Q(("asal_tindak_lanjut__isnull", True), ("status", "terbuka")),
                fields=("ewarong", "instrumen"),
                name="penugasan_terbuka_unik",
                violation_error_message="E-warong ini sudah punya penugasan terbuka dengan instrumen yang sama.",
            ),
        ),
    ]
