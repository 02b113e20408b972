"""Stores: shops and the central warehouse, their opening hours, and staff's home stores."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from catalog.localized import Localized

from .. import policy


class StoreQuerySet(models.QuerySet["Store"]):
    def for_customers(self) -> "StoreQuerySet":
        """Open shops a customer can walk into: never the warehouse."""
        return self.filter(policy.customer_store_q())

    def for_staff(self) -> "StoreQuerySet":
        """Open stores whose pairs staff see and may send: the warehouse included."""
        return self.filter(policy.staff_store_q())


class Store(models.Model):
    code = models.SlugField(_("code"), max_length=20, unique=True)
    name_he = models.CharField(_("name (Hebrew)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    city_he = models.CharField(_("city (Hebrew)"), max_length=60)
    city_en = models.CharField(_("city (English)"), max_length=60)
    address_he = models.CharField(_("address (Hebrew)"), max_length=200)
    address_en = models.CharField(_("address (English)"), max_length=200)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    opening_hours_he = models.TextField(_("opening hours (Hebrew)"), blank=True)
    opening_hours_en = models.TextField(_("opening hours (English)"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_warehouse = models.BooleanField(
        _("central warehouse"),
        default=False,
        help_text=_("The warehouse's stock is never shown to customers as a store's."),
    )
    safety_stock = models.PositiveSmallIntegerField(
        _("safety stock"),
        null=True,
        blank=True,
        help_text=_(
            "Pairs of each size kept for walk-in customers before the rest is offered "
            "to other stores' waiting lists. Empty: the default setting."
        ),
    )
    pickup_reminder = models.BooleanField(
        _("pick-up reminder"),
        default=False,
        help_text=_(
            "Text customers who have not said when they will come, shortly before "
            "their hold runs out."
        ),
    )
    pickup_reminder_hours = models.PositiveSmallIntegerField(
        _("reminder lead time (hours)"),
        default=2,
        help_text=_("How long before the hold runs out the reminder goes."),
    )

    name = Localized("name")
    city = Localized("city")
    address = Localized("address")
    opening_hours = Localized("opening_hours")

    objects = StoreQuerySet.as_manager()

    class Meta:
        ordering = ["is_warehouse", "name_en"]
        verbose_name = _("store")
        verbose_name_plural = _("stores")
        permissions = [("view_all_stores", _("Can see every store's transfers and holds"))]
        constraints = [
            models.UniqueConstraint(
                fields=["is_warehouse"],
                condition=Q(is_warehouse=True),
                name="store_single_warehouse",
            ),
            models.CheckConstraint(
                condition=Q(latitude__gte=-90, latitude__lte=90)
                & Q(longitude__gte=-180, longitude__lte=180),
                name="store_coordinates_valid",
            ),
        ]

    def __str__(self) -> str:
        return str(self.name)


class StoreHours(models.Model):
    """When a store is open on one day of the week: the pick-up slots customers can choose.
    A day without a row is a day the store is closed."""

    class Weekday(models.IntegerChoices):
        # The Israeli week: Sunday first.
        SUNDAY = 0, _("Sunday")
        MONDAY = 1, _("Monday")
        TUESDAY = 2, _("Tuesday")
        WEDNESDAY = 3, _("Wednesday")
        THURSDAY = 4, _("Thursday")
        FRIDAY = 5, _("Friday")
        SATURDAY = 6, _("Saturday")

    store = models.ForeignKey(
        Store, on_delete=models.CASCADE, related_name="hours", verbose_name=_("store")
    )
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        ordering = ["store", "weekday"]
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        constraints = [
            models.UniqueConstraint(fields=["store", "weekday"], name="storehours_one_per_day"),
            models.CheckConstraint(
                condition=Q(closes__gt=F("opens")), name="storehours_closes_after_opens"
            ),
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6), name="storehours_weekday_valid"
            ),
        ]

    def __str__(self) -> str:
        hours = f"{self.opens:%H:%M}–{self.closes:%H:%M}"
        return f"{self.store.code} {self.get_weekday_display()} {hours}"

    @staticmethod
    def weekday_of(day: "date") -> int:
        """The `Weekday` of a date (Python counts from Monday)."""
        return (day.weekday() + 1) % 7


class StoreSpecialHours(models.Model):
    """A date a store keeps other hours than its weekday's: a holiday, a holiday eve, a stock
    count, a late night before a holiday. It wins over the weekday's `StoreHours` and over the
    holiday calendar's default (`inventory.selectors.hours`)."""

    store = models.ForeignKey(
        Store, on_delete=models.CASCADE, related_name="special_hours", verbose_name=_("store")
    )
    date = models.DateField(_("date"))
    closed = models.BooleanField(_("closed all day"), default=False)
    opens = models.TimeField(_("opens"), null=True, blank=True)
    closes = models.TimeField(_("closes"), null=True, blank=True)
    note_he = models.CharField(_("note (Hebrew)"), max_length=100, blank=True)
    note_en = models.CharField(_("note (English)"), max_length=100, blank=True)

    note = Localized("note")

    class Meta:
        ordering = ["store", "date"]
        verbose_name = _("date with other hours")
        verbose_name_plural = _("dates with other hours")
        constraints = [
            models.UniqueConstraint(fields=["store", "date"], name="storespecialhours_one_per_day"),
            models.CheckConstraint(
                condition=Q(closed=True, opens__isnull=True, closes__isnull=True)
                | Q(closed=False, opens__isnull=False, closes__gt=F("opens")),
                name="storespecialhours_closed_or_hours",
            ),
        ]

    def __str__(self) -> str:
        hours = "—" if self.closed else f"{self.opens:%H:%M}–{self.closes:%H:%M}"
        return f"{self.store.code} {self.date:%d/%m/%Y} {hours}"

    def clean(self) -> None:
        if self.closed:
            if self.opens is not None or self.closes is not None:
                raise ValidationError(
                    _("A day the store is closed has no opening or closing time; clear them.")
                )
            return
        if self.opens is None or self.closes is None:
            raise ValidationError(
                _("Give the opening and closing times, or tick “closed all day”.")
            )
        if self.closes <= self.opens:
            raise ValidationError({"closes": _("The store must close after it opens.")})


class StaffProfile(models.Model):
    """A staff member's home store: where their stock finder measures distance from."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="staff_profile",
        verbose_name=_("user"),
    )
    home_store = models.ForeignKey(
        Store, on_delete=models.PROTECT, related_name="staff", verbose_name=_("home store")
    )

    class Meta:
        verbose_name = _("staff profile")
        verbose_name_plural = _("staff profiles")

    def __str__(self) -> str:
        return f"{self.user} @ {self.home_store}"
