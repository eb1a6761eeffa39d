"""Load the demo province (agencies, calendar, procedures, demo accounts)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from congso.demo import load_demo


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu của tỉnh Lạng Sơn: cơ quan, lịch làm việc, thủ tục, tài khoản dùng thử."

    def handle(self, *args: Any, **options: Any) -> None:
        load_demo(verbosity=int(options["verbosity"]))
        self.stdout.write(self.style.SUCCESS("Đã nạp dữ liệu mẫu."))
