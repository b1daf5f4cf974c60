"""The report schedules, as rows the secretariat edits in the admin (django-celery-beat): the monthly
realisation report at 06.00 WIB on the 5th, and the daily digest of overdue actions at 07.00 WIB."""

from django.db import migrations

JADWAL = [
    {
        "name": "Laporan realisasi bulanan (tanggal 5, bulan sebelumnya)",
        "task": "monev.laporan.tasks.laporan_bulanan",
        "crontab": {"minute": "0", "hour": "6", "day_of_month": "5", "month_of_year": "*", "day_of_week": "*"},
        "description": "Laporan realisasi provinsi untuk bulan sebelumnya; sekretariat diberi tahu saat siap.",
    },
    {
        "name": "Ringkasan harian tindak lanjut lewat batas untuk pendamping",
        "task": "monev.laporan.tasks.ringkasan_tindak_lanjut",
        "crontab": {"minute": "0", "hour": "7", "day_of_month": "*", "month_of_year": "*", "day_of_week": "*"},
        "description": "Notifikasi dan e-mail ke setiap pendamping yang punya tindak lanjut lewat batas waktu.",
    },
]


def create(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for entry in JADWAL:
        crontab, _created = CrontabSchedule.objects.get_or_create(**entry["crontab"], timezone="Asia/Jakarta")
        PeriodicTask.objects.get_or_create(
            name=entry["name"],
            defaults={"task": entry["task"], "crontab": crontab, "description": entry["description"]},
        )


def remove(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(task__in=[e["task"] for e in JADWAL]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("monev", "0006_laporan"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
