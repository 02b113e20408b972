from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("inventory", "0017_hold_purpose_without_entry_id"),
    ]

    operations = [
        migrations.AddField(
            model_name="stockmovement",
            name="external_fingerprint",
            field=models.CharField(blank=True, max_length=64, verbose_name="till line fingerprint"),
        ),
    ]
