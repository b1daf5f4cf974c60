"""SkorRisiko, the combined e-warong risk (signals, findings, complaints, visit scores), joins monev.

State only: the table stays penyaluran_skorrisiko with its rows, constraint and index.
"""

import django.db.models.deletion
from django.db import migrations, models


def move_content_type(apps, schema_editor, source="penyaluran", target="monev"):
    """Permissions, admin history and groups follow the model: its content type changes app label."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label=target, model="skorrisiko").exists():
        ContentType.objects.filter(app_label=source, model="skorrisiko").update(app_label=target)


def move_content_type_back(apps, schema_editor):
    move_content_type(apps, schema_editor, source="monev", target="penyaluran")


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('monev', '0002_instrumen_bawaan'),
        ('penyaluran', '0014_bank_dan_skor_risiko_pindah'),
    ]

    # State only: the table keeps its name and rows; see the module docstring.
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='SkorRisiko',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('skor', models.FloatField(db_index=True, verbose_name='skor')),
                        ('alasan', models.JSONField(blank=True, default=list, verbose_name='alasan')),
                        ('dihitung_pada', models.DateTimeField(auto_now=True, verbose_name='dihitung pada')),
                        ('ewarong', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='skor_risiko', to='penyaluran.ewarong', verbose_name='e-warong')),
                        ('periode', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='penyaluran.periode', verbose_name='periode')),
                    ],
                    options={
                        'verbose_name': 'skor risiko e-warong',
                        'verbose_name_plural': 'skor risiko e-warong',
                        'db_table': 'penyaluran_skorrisiko',
                        'ordering': ['periode', '-skor'],
                        'indexes': [models.Index(fields=['periode', '-skor'], name='penyaluran__periode_11fc58_idx')],
                        'constraints': [models.UniqueConstraint(fields=('ewarong', 'periode'), name='skor_risiko_unik')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
