"""Who works with reviews and ratings: catalog editors edit review links; store managers see
their store's dashboard; head office (a new role) sees every store's."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = {
    "Catalog editors": [
        *(f"reviews.{action}_{model}" for model in ("reviewlink", "reviewsource")
          for action in ("add", "change", "view", "delete")),
    ],
    "Store managers": ["reviews.view_dashboard", "reviews.view_rating", "reviews.change_rating"],
    "Head office": [
        "reviews.view_dashboard", "reviews.view_rating", "reviews.change_rating",
        "reviews.view_sitefeedback", "inventory.view_all_stores", "inventory.view_store",
        "inventory.view_stocklevel", "inventory.view_transfer", "inventory.view_hold",
    ],
}


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; these groups need them now.
    app_config = apps.get_app_config("reviews")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0, using=schema_editor.connection.alias)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, perms in ROLES.items():
        group, _created = Group.objects.get_or_create(name=name)
        for perm in perms:
            app_label, codename = perm.split(".")
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label,
                                                         codename=codename))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Group.objects.filter(name="Head office").delete()
    for name in ("Catalog editors", "Store managers"):
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.remove(
                *Permission.objects.filter(content_type__app_label="reviews")
            )


class Migration(migrations.Migration):

    dependencies = [
        ("reviews", "0002_dashboard_permission"),
        ("inventory", "0003_staff_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
