"""Bank moves from penyaluran to the core: reference data every layer reads, and User.bank points at it.

State only: the table stays penyaluran_bank with its rows, keys and constraints.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
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
    ]
