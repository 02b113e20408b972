"""Store managers and head office keep the inbox's quick answers (in the admin); a few to
start with, in both languages."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = ["Store managers", "Head office"]
ACTIONS = ["add", "change", "view", "delete"]
STARTERS = [
    ("שמור לך", "Kept for you", "הזוג שמור לך. נתראה בסניף!",
     "Your pair is kept for you. See you at the store!"),
    ("בודקים", "Checking", "בודקים ועונים לך תוך כמה דקות.",
     "We are checking and will answer in a few minutes."),
    ("הוארך", "Extended", "האריכנו את השמירה ביום.", "We have kept it for you one more day."),
]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("notifications")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0, using=schema_editor.connection.alias)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = Permission.objects.filter(
        content_type__app_label="notifications",
        codename__in=[f"{action}_quickanswer" for action in ACTIONS],
    )
    for name in ROLES:
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(*perms)
    QuickAnswer = apps.get_model("notifications", "QuickAnswer")
    if not QuickAnswer.objects.exists():
        for position, (title_he, title_en, he, en) in enumerate(STARTERS):
            QuickAnswer.objects.create(
                title_he=title_he, title_en=title_en, text_he=he, text_en=en, position=position
            )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    perms = Permission.objects.filter(
        content_type__app_label="notifications", codename__endswith="_quickanswer"
    )
    for group in Group.objects.filter(name__in=ROLES):
        group.permissions.remove(*perms)


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0012_conversations"),
        ("reviews", "0003_review_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
