"""Bank now lives in tikor and SkorRisiko (the combined e-warong risk) in monev: every foreign key to the bank
follows it. State only: no table, row, key or index changes.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('penyaluran', '0013_imporbank_status_indeks'),
        ('tikor', '0003_bank_pindah_ke_inti'),
    ]

    # State only: the table keeps its name and rows; see the module docstring.
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='agen',
                    name='bank',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='tikor.bank', verbose_name='bank'),
                ),
                migrations.AlterField(
                    model_name='realisasi',
                    name='bank',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='tikor.bank', verbose_name='bank'),
                ),
                migrations.AlterField(
                    model_name='historicalewarong',
                    name='bank',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='tikor.bank', verbose_name='bank'),
                ),
                migrations.AlterField(
                    model_name='profilkolombank',
                    name='bank',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='profil_kolom', to='tikor.bank', verbose_name='bank'),
                ),
                migrations.AlterField(
                    model_name='ewarong',
                    name='bank',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='tikor.bank', verbose_name='bank'),
                ),
                migrations.AlterField(
                    model_name='kpm',
                    name='bank',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, to='tikor.bank', verbose_name='bank'),
                ),
                migrations.AlterField(
                    model_name='historicalagen',
                    name='bank',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='tikor.bank', verbose_name='bank'),
                ),
                migrations.AlterField(
                    model_name='imporbank',
                    name='bank',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='tikor.bank', verbose_name='bank'),
                ),
                migrations.AlterField(
                    model_name='historicalkpm',
                    name='bank',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='tikor.bank', verbose_name='bank'),
                ),
                migrations.AlterField(
                    model_name='transaksi',
                    name='bank',
                    field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='tikor.bank', verbose_name='bank'),
                ),
                migrations.AlterField(
                    model_name='penyaluran',
                    name='bank',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, to='tikor.bank', verbose_name='bank / penyalur'),
                ),
                migrations.RemoveField(
                    model_name='skorrisiko',
                    name='ewarong',
                ),
                migrations.RemoveField(
                    model_name='skorrisiko',
                    name='periode',
                ),
                migrations.DeleteModel(
                    name='Bank',
                ),
                migrations.DeleteModel(
                    name='SkorRisiko',
                ),
            ],
            database_operations=[],
        ),
    ]
