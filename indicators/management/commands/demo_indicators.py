"""manage.py demo_indicators: the demo targets and quarterly reports of the communes.

Needs the demo province (``load_demo``: agencies, the demo accounts) and the indicator catalogue
(``load_indicators``). Running it twice changes nothing. Adds the statistics officer of UBND
phường Tam Thanh (``thongke.tamthanh``) with the demo password.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from indicators.demo import load_demo_indicators


class Command(BaseCommand):
    help = "Nạp chỉ tiêu được giao và báo cáo chỉ tiêu hằng quý mẫu của các xã, phường (dữ liệu mẫu)."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = load_demo_indicators()
        except RuntimeError as error:
            raise CommandError(str(error)) from error
        if options["verbosity"] >= 1:
            self.stdout.write(
                f"Báo cáo chỉ tiêu mẫu: {summary.reports_created} báo cáo mới, "
                f"{summary.targets_created} chỉ tiêu được giao mới."
            )
