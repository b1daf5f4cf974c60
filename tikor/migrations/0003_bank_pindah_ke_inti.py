"""Bank moves from penyaluran to the core: reference data every layer reads, and User.bank points at it.

State only: the table stays penyaluran_bank with its rows, keys and constraints.
"""

import django.db.models.deletion
from django.db import migrations, models


def move_content_type(apps, schema_editor, source="penyaluran", target="tikor"):
    """Permissions, admin history and groups follow the model: its content type changes app label."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label=target, model="bank").exists():
        ContentType.objects.filter(app_label=source, model="bank").update(app_label=target)


def move_content_type_back(apps, schema_editor):
    move_content_type(apps, schema_editor, source="tikor", target="penyaluran")


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('tikor', '0002_load_wilayah'),
    ]

    # State only: the table keeps its name and rows; see the module docstring.
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Bank',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kode', models.CharField(max_length=10, unique=True, verbose_name='kode')),
                        ('nama', models.CharField(max_length=100, verbose_name='nama')),
                    ],
                    options={
                        'verbose_name': 'bank',
                        'verbose_name_plural': 'bank',
                        'db_table': 'penyaluran_bank',
                        'ordering': ['kode'],
                    },
                ),
                migrations.AlterField(
                    model_name='user',
                    name='bank',
                    field=models.ForeignKey(blank=True, help_text='Untuk staf bank: hanya data bank ini yang terlihat.', null=True, on_delete=django.db.models.deletion.PROTECT, to='tikor.bank', verbose_name='bank'),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
