"""A hold records what it is for as typed fields (step 2 of 3): each "waitlist:<id>" or
"transfer:<id>" claim is read once, here, into `purpose` and its id (one UPDATE each).

A claim in neither form, or naming a transfer that does not exist, stops the migration with
the holds concerned listed: there is no right value to guess for them.
"""

from django.db import migrations, models
from django.db.models.functions import Cast, Concat, Substr

PURPOSES = {'waitlist': 'waitlist_entry_id', 'transfer': 'transfer_id'}


def forwards(apps, schema_editor):
    Hold = apps.get_model('inventory', 'Hold')
    Transfer = apps.get_model('inventory', 'Transfer')
    unreadable = list(Hold.objects.exclude(claim__regex=r'^(waitlist|transfer):[0-9]+$')
                      .values_list('pk', flat=True)[:50])
    if unreadable:
        raise RuntimeError(f'Holds {unreadable} have a claim that is neither "waitlist:<id>" nor '
                           '"transfer:<id>"; fix or delete them, then migrate again.')
    for purpose, field in PURPOSES.items():
        prefix = f'{purpose}:'
        Hold.objects.filter(claim__startswith=prefix).update(
            purpose=purpose,
            **{field: Cast(Substr('claim', len(prefix) + 1), models.BigIntegerField())},
        )
    orphans = list(Hold.objects.filter(purpose='transfer')
                   .exclude(transfer_id__in=Transfer.objects.values('pk'))
                   .values_list('pk', flat=True)[:50])
    if orphans:
        raise RuntimeError(f'Holds {orphans} are for transfers that do not exist; fix or delete '
                           'them, then migrate again.')


def backwards(apps, schema_editor):
    Hold = apps.get_model('inventory', 'Hold')
    for purpose, field in PURPOSES.items():
        Hold.objects.filter(purpose=purpose).update(
            claim=Concat(models.Value(f'{purpose}:'), Cast(field, models.CharField())))


class Migration(migrations.Migration):

    dependencies = [
        ('inventory', '0006_hold_purpose_fields'),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
