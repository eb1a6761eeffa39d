"""manage.py demo_directives: seed 004 as a demo directive, its tasks assigned, some done, some late.

Needs the demo province (``load_demo``: agencies and the demo accounts). Running it twice
changes nothing. The secretary of the provincial office (``thuky.vp``) and the vice-chairman
(``pct.tinh``) are added with the demo password.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from directives.demo import load_demo_directives


class Command(BaseCommand):
    help = "Nạp văn bản chỉ đạo mẫu (Thông báo kết luận làm việc với Sở TT&TT, 2024) và các nhiệm vụ đã giao."

    def handle(self, *args: Any, **options: Any) -> None:
        directive, created = load_demo_directives()
        verb = "Đã nạp" if created else "Đã có sẵn"
        self.stdout.write(f"{verb} văn bản chỉ đạo mẫu: {directive} ({directive.tasks.count()} nhiệm vụ).")
