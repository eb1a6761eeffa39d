"""Who may change the working-day calendar."""

from __future__ import annotations

from accounts.permissions import is_province_admin
from congso.access import AnyUser


def can_manage_calendar(user: AnyUser | None) -> bool:
    """The province administrator (a current ``province_admin`` role) or a superuser edits the
    days off, make-up days and working hours; everyone else, staff included, only reads them."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return bool(user.is_superuser) or is_province_admin(user)
