"""Staff in the admin: their home store, on its own list and inline on Django's user page."""

from typing import Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from ..models import StaffProfile

User = get_user_model()


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "home_store"]
    list_filter = ["home_store"]
    list_select_related = ["user", "home_store"]
    search_fields = [
        "user__username",
        "user__first_name",
        "user__last_name",
        "home_store__code",
        "home_store__name_en",
        "home_store__name_he",
    ]
    autocomplete_fields = ["user", "home_store"]


class StaffProfileInline(admin.StackedInline):
    model = StaffProfile
    can_delete = False
    autocomplete_fields = ["home_store"]
    verbose_name_plural = _("home store")


# The project keeps Django's user model; staff get their home store inline.
if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [StaffProfileInline]  # Django's UserAdmin has none of its own
    list_display = ["username", "email", "first_name", "last_name", "is_staff", "home_store"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups", "staff_profile__home_store"]
    list_select_related = ["staff_profile__home_store"]

    @admin.display(description=_("home store"), ordering="staff_profile__home_store__name_en")
    def home_store(self, obj: Any) -> str:
        profile = getattr(obj, "staff_profile", None)
        return str(profile.home_store) if profile else "—"
