"""Staff roles: the groups salespeople, store managers and catalog editors belong to.

Which store someone acts at is their StaffProfile's home store; inventory.permissions
combines the two (e.g. a manager dispatches transfers only from their home store).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CATALOG_MODELS = ["brand", "category", "product", "productimage", "variant"]

SALESPEOPLE = [
    *(f"catalog.view_{model}" for model in CATALOG_MODELS),
    "inventory.view_store",
    "inventory.view_stocklevel",
    "inventory.view_inboundshipment",
    "inventory.view_inboundshipmentline",
    "inventory.add_transfer",
    "inventory.view_transfer",
    "inventory.view_hold",
]

STORE_MANAGERS = [
    *SALESPEOPLE,
    "inventory.view_stockmovement",
    "inventory.adjust_stock",
    "inventory.change_inboundshipment",
    "inventory.change_inboundshipmentline",
    "inventory.change_transfer",
    "inventory.dispatch_transfer",
    "inventory.receive_transfer",
    "inventory.change_hold",
    "inventory.manage_holds",
]

CATALOG_EDITORS = [
    *(f"catalog.{action}_{model}" for model in CATALOG_MODELS
      for action in ("add", "change", "view")),
    # Removing a wrong photo is part of editing a product.
    "catalog.delete_productimage",
]

ROLES = {
    "Salespeople": SALESPEOPLE,
    "Store managers": STORE_MANAGERS,
    "Catalog editors": CATALOG_EDITORS,
}


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations (post_migrate); create the ones
    # these roles need now, so a fresh database gets complete groups.
    for label in ("catalog", "inventory"):
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0,
                           using=schema_editor.connection.alias)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, perms in ROLES.items():
        wanted = []
        for perm in perms:
            app_label, codename = perm.split(".")
            wanted.append(Permission.objects.get(content_type__app_label=app_label,
                                                 codename=codename))
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(*wanted)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("catalog", "0001_initial"),
        ("inventory", "0002_staff_permissions"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="store",
            options={
                "ordering": ["is_warehouse", "name_en"],
                "permissions": [
                    ("view_all_stores", "Can see every store's transfers and holds"),
                ],
                "verbose_name": "store",
                "verbose_name_plural": "stores",
            },
        ),
        migrations.RunPython(create_roles, remove_roles),
    ]
