"""Who a service acts for, as views, the admin and tasks hand it over."""

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser, User

# `request.user` (signed in or anonymous), or None when a task or a customer acts.
Actor = AbstractBaseUser | AnonymousUser | None


def staff_or_none(user: Actor) -> User | None:
    """The user to record as having done something (a `..._by` field): a signed-in user, or
    None for an anonymous visitor, a task or a customer."""
    return user if isinstance(user, get_user_model()) and user.is_authenticated else None
