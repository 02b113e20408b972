import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MOVED = ["waitlistentry", "transfersuggestion"]


def content_types_follow(apps, schema_editor):
    """Permissions granted on the moved models (to groups or users) stay granted: their content
    types change app rather than new ones being made."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if not ContentType.objects.filter(app_label="demand", model=model).exists():
            ContentType.objects.filter(app_label="notifications", model=model).update(
                app_label="demand"
            )


def content_types_return(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="demand", model__in=MOVED).update(
        app_label="notifications"
    )


class Migration(migrations.Migration):
    """The waitlist and suggested transfers move here from `notifications`: the same tables
    (their names kept), so this changes the project's state only and no row."""

    initial = True

    dependencies = [
        ('catalog', '0003_product_search_indexes'),
        ('inventory', '0016_hold_text_read_at'),
        ('notifications', '0007_whatsapp_channel'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='WaitlistEntry',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('phone', models.CharField(max_length=20, verbose_name='mobile')),
                        ('language', models.CharField(choices=[('he', 'Hebrew'), ('en', 'English')], default='he', max_length=5, verbose_name='language')),
                        ('status', models.CharField(choices=[('pending', 'Awaiting confirmation'), ('active', 'Waiting'), ('transfer', 'Pair on its way'), ('held', 'Pair held'), ('collected', 'Collected'), ('lapsed', 'Hold ended'), ('cancelled', 'Cancelled')], default='pending', max_length=10, verbose_name='status')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='signed up')),
                        ('activated_at', models.DateTimeField(blank=True, null=True, verbose_name='confirmed')),
                        ('ended_at', models.DateTimeField(blank=True, null=True, verbose_name='ended')),
                        ('hold', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='waitlist_entry', to='inventory.hold', verbose_name='hold')),
                        ('store', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='waitlist', to='inventory.store', verbose_name='store')),
                        ('transfer', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='waitlist_entries', to='inventory.transfer', verbose_name='transfer')),
                        ('variant', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='waitlist', to='catalog.variant', verbose_name='size')),
                    ],
                    options={
                        'verbose_name': 'waitlist entry',
                        'verbose_name_plural': 'waitlist entries',
                        'db_table': 'notifications_waitlistentry',
                        'ordering': ['created_at', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='TransferSuggestion',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('distance_km', models.FloatField(verbose_name='distance (km)')),
                        ('oldest_wait_since', models.DateTimeField(verbose_name='waiting since')),
                        ('status', models.CharField(choices=[('proposed', 'Proposed'), ('approved', 'Approved'), ('dismissed', 'Dismissed'), ('withdrawn', 'Withdrawn')], default='proposed', max_length=10, verbose_name='status')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='proposed')),
                        ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='decided')),
                        ('snoozed_until', models.DateTimeField(blank=True, null=True, verbose_name='not proposed again until')),
                        ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='decided by')),
                        ('from_store', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='inventory.store', verbose_name='from')),
                        ('to_store', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='inventory.store', verbose_name='to')),
                        ('transfers', models.ManyToManyField(blank=True, related_name='+', to='inventory.transfer', verbose_name='transfers')),
                        ('variant', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='catalog.variant', verbose_name='size')),
                        ('entries', models.ManyToManyField(related_name='transfer_suggestions', to='demand.waitlistentry', verbose_name='customers served')),
                    ],
                    options={
                        'verbose_name': 'suggested transfer',
                        'verbose_name_plural': 'suggested transfers',
                        'db_table': 'notifications_transfersuggestion',
                        'ordering': ['oldest_wait_since', 'distance_km', 'id'],
                    },
                ),
                migrations.AddIndex(
                    model_name='waitlistentry',
                    index=models.Index(fields=['store', 'variant', 'status', 'created_at'], name='waitlist_queue'),
                ),
                migrations.AddIndex(
                    model_name='waitlistentry',
                    index=models.Index(fields=['phone', 'status'], name='waitlist_phone'),
                ),
                migrations.AddIndex(
                    model_name='waitlistentry',
                    index=models.Index(fields=['created_at'], name='waitlist_signed_up'),
                ),
                migrations.AddConstraint(
                    model_name='waitlistentry',
                    constraint=models.UniqueConstraint(condition=models.Q(('status__in', ['pending', 'active'])), fields=('phone', 'variant', 'store'), name='waitlist_one_open_entry'),
                ),
                migrations.AddIndex(
                    model_name='transfersuggestion',
                    index=models.Index(fields=['status', 'to_store'], name='suggestion_status_to'),
                ),
                migrations.AddConstraint(
                    model_name='transfersuggestion',
                    constraint=models.UniqueConstraint(condition=models.Q(('status', 'proposed')), fields=('variant', 'from_store', 'to_store'), name='suggestion_one_proposed_per_route'),
                ),
                migrations.AddConstraint(
                    model_name='transfersuggestion',
                    constraint=models.CheckConstraint(condition=models.Q(('from_store', models.F('to_store')), _negated=True), name='suggestion_distinct_stores'),
                ),
            ],
        ),
        migrations.RunPython(content_types_follow, content_types_return),
    ]
