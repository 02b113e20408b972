"""The daily totals move here from reviews, rows and all: this only tells Django's state that
the models are insights' now, on the tables reviews created (reviews 0004). Renaming the tables
is 0002's."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("inventory", "0013_hold_collected_price"),
        ("reviews", "0005_daily_totals_triggers"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='DailyCollection',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('day', models.DateField(verbose_name='day')),
                        ('purpose', models.CharField(max_length=20, verbose_name='held for')),
                        ('pairs', models.IntegerField(default=0, verbose_name='pairs')),
                        ('value', models.DecimalField(decimal_places=2, default=0, max_digits=14, verbose_name='value (₪)')),
                        ('store', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='inventory.store', verbose_name='store')),
                    ],
                    options={
                        'db_table': 'reviews_dailycollection',
                        'verbose_name': 'daily collection',
                        'verbose_name_plural': 'daily collections',
                        'indexes': [models.Index(fields=['store', 'day'], name='dailycollection_store_day')],
                        'constraints': [models.UniqueConstraint(fields=('day', 'store', 'purpose'), name='dailycollection_one_per_purpose')],
                    },
                ),
                migrations.CreateModel(
                    name='DailyDuration',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('day', models.DateField(verbose_name='day')),
                        ('measure', models.CharField(choices=[('signup_to_text', 'Sign-up to hold text'), ('text_to_collection', 'Hold text to collection'), ('transfer_lead', 'Transfer requested to received')], max_length=20, verbose_name='measure')),
                        ('bucket', models.SmallIntegerField(verbose_name='bucket')),
                        ('count', models.IntegerField(default=0, verbose_name='count')),
                        ('store', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='inventory.store', verbose_name='store')),
                    ],
                    options={
                        'db_table': 'reviews_dailyduration',
                        'verbose_name': 'daily duration',
                        'verbose_name_plural': 'daily durations',
                        'indexes': [models.Index(fields=['store', 'day'], name='dailyduration_store_day')],
                        'constraints': [models.UniqueConstraint(fields=('day', 'store', 'measure', 'bucket'), name='dailyduration_one_per_bucket', nulls_distinct=False)],
                    },
                ),
                migrations.CreateModel(
                    name='DailyTotal',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('day', models.DateField(verbose_name='day')),
                        ('signups', models.IntegerField(default=0)),
                        ('signups_collected', models.IntegerField(default=0)),
                        ('texts_sent', models.IntegerField(default=0)),
                        ('holds_created', models.IntegerField(default=0)),
                        ('holds_active', models.IntegerField(default=0)),
                        ('holds_collected', models.IntegerField(default=0)),
                        ('holds_released', models.IntegerField(default=0)),
                        ('holds_expired', models.IntegerField(default=0)),
                        ('collected', models.IntegerField(default=0)),
                        ('transfers_requested', models.IntegerField(default=0)),
                        ('transfers_received', models.IntegerField(default=0)),
                        ('ratings', models.IntegerField(default=0)),
                        ('rating_points', models.IntegerField(default=0)),
                        ('ratings_1', models.IntegerField(default=0)),
                        ('ratings_2', models.IntegerField(default=0)),
                        ('ratings_3', models.IntegerField(default=0)),
                        ('ratings_4', models.IntegerField(default=0)),
                        ('ratings_5', models.IntegerField(default=0)),
                        ('store', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='inventory.store', verbose_name='store')),
                    ],
                    options={
                        'db_table': 'reviews_dailytotal',
                        'verbose_name': 'daily total',
                        'verbose_name_plural': 'daily totals',
                        'indexes': [models.Index(fields=['store', 'day'], name='dailytotal_store_day')],
                        'constraints': [models.UniqueConstraint(fields=('day', 'store'), name='dailytotal_one_per_store_day', nulls_distinct=False)],
                    },
                ),
            ],
        ),
    ]
