"""Print the demo accounts (make run shows them before serving)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from congso.demo import DEMO_PASSWORD, DEMO_STAFF, OTHER_DEMO_LOGINS, demo_citizen_username


class Command(BaseCommand):
    help = "In danh sách tài khoản dùng thử (chỉ có trong dữ liệu mẫu)."

    def handle(self, *args: Any, **options: Any) -> None:
        from accounts.models import User
        from dossiers.demo import DEMO_LOGINS as DOSSIER_DEMO_LOGINS

        usernames = [s.username for s in DEMO_STAFF] + list(OTHER_DEMO_LOGINS) + [demo_citizen_username()]
        usernames += [name for name in DOSSIER_DEMO_LOGINS if name not in usernames]
        found = {u.username: u for u in User.objects.filter(username__in=usernames)}
        if not found:
            self.stdout.write("No demo accounts in this database (run manage.py load_demo).")
            return
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD})")
        for username in usernames:
            user = found.get(username)
            if user is None:
                continue
            memberships = ", ".join(
                f"{m.get_role_display()} — {m.agency.name}" for m in user.memberships.select_related("agency")
            )
            self.stdout.write(f"  {username:<18} {user.get_full_name()}: {memberships or 'công dân'}")
        self.stdout.write("")
