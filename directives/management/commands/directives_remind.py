"""manage.py directives_remind: send today's task reminders (what the daily job does)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from directives.services import reminders_send


class Command(BaseCommand):
    help = (
        "Gửi nhắc việc: nhiệm vụ sắp đến hạn, quá hạn (báo cáo người giao); mở kỳ mới của nhiệm vụ định kỳ."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", default="", help="Ngày tính nhắc việc (YYYY-MM-DD), mặc định hôm nay.")

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options["date"]:
            try:
                today = dt.date.fromisoformat(options["date"])
            except ValueError as error:
                raise CommandError("--date phải có dạng YYYY-MM-DD") from error
        run = reminders_send(today=today)
        self.stdout.write(
            f"Đã gửi {len(run.sent)} nhắc việc; mở {len(run.occurrences)} kỳ mới của nhiệm vụ định kỳ."
        )
