from django.db import migrations

BANKS = [
    ("BNI", "PT Bank Negara Indonesia (Persero) Tbk"),
    ("BRI", "PT Bank Rakyat Indonesia (Persero) Tbk"),
    ("MANDIRI", "PT Bank Mandiri (Persero) Tbk"),
    ("BTN", "PT Bank Tabungan Negara (Persero) Tbk"),
    ("BSI", "PT Bank Syariah Indonesia Tbk"),
    ("BANKDKI", "PT Bank DKI"),
]


def seed(apps, schema_editor):
    Bank = apps.get_model("penyaluran", "Bank")
    for kode, nama in BANKS:
        Bank.objects.get_or_create(kode=kode, defaults={"nama": nama})


class Migration(migrations.Migration):
    dependencies = [("penyaluran", "0002_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
