"""A hold records what it is for as typed fields (step 3 of 3): `purpose` is required, the
fields must match it, one active hold per transfer and per waitlist entry; `claim` goes."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('inventory', '0007_hold_purpose_from_claim'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='hold',
            name='claim',
        ),
        migrations.AlterField(
            model_name='hold',
            name='purpose',
            field=models.CharField(choices=[('waitlist', 'Waitlist'), ('transfer', 'Transfer')], max_length=10, verbose_name='held for'),
        ),
        migrations.AddConstraint(
            model_name='hold',
            constraint=models.UniqueConstraint(condition=models.Q(('status', 'active')), fields=('transfer',), name='hold_one_active_per_transfer'),
        ),
        migrations.AddConstraint(
            model_name='hold',
            constraint=models.UniqueConstraint(condition=models.Q(('status', 'active')), fields=('waitlist_entry_id',), name='hold_one_active_per_waitlist_entry'),
        ),
        migrations.AddConstraint(
            model_name='hold',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('purpose', 'waitlist'), ('transfer__isnull', True), ('waitlist_entry_id__isnull', False)), models.Q(('purpose', 'transfer'), ('transfer__isnull', False), ('waitlist_entry_id__isnull', True)), _connector='OR'), name='hold_purpose_matches_fields'),
        ),
    ]
