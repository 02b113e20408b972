"""A hold records what it is for as typed fields (step 1 of 3): the new columns, empty.

The old one-active-hold-per-claim constraint goes first, so that undoing these steps rebuilds
the claims (step 2) before the constraint is put back; `claim` gets a default for the same
reason (undoing step 3 brings the column back before step 2 fills it).
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('inventory', '0005_dashboard_indexes'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='hold',
            name='hold_one_active_per_claim',
        ),
        migrations.AlterField(
            model_name='hold',
            name='claim',
            field=models.CharField(default='', max_length=60, verbose_name='held for'),
        ),
        migrations.AddField(
            model_name='hold',
            name='purpose',
            field=models.CharField(choices=[('waitlist', 'Waitlist'), ('transfer', 'Transfer')], max_length=10, null=True, verbose_name='held for'),
        ),
        migrations.AddField(
            model_name='hold',
            name='transfer',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='holds', to='inventory.transfer', verbose_name='transfer'),
        ),
        migrations.AddField(
            model_name='hold',
            name='waitlist_entry_id',
            field=models.BigIntegerField(blank=True, null=True, verbose_name='waitlist entry'),
        ),
    ]
