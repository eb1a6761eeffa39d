"""manage.py rebuild_indicator_facts [--from YYYY-MM-DD] [--to YYYY-MM-DD]: recompute the daily
dossier facts from the dossiers (all of them by default, which also resets the watermarks)."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from indicators.facts import facts_rebuild


def _day(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"Ngày “{text}” không hợp lệ (dạng YYYY-MM-DD).") from error


class Command(BaseCommand):
    help = "Tính lại số liệu hồ sơ theo ngày (tiền tổng hợp chỉ số) từ dữ liệu hồ sơ."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="start", help="Từ ngày (YYYY-MM-DD).")
        parser.add_argument("--to", dest="end", help="Đến ngày (YYYY-MM-DD).")

    def handle(self, *args: Any, **options: Any) -> None:
        start, end = _day(options.get("start")), _day(options.get("end"))
        if start and end and start > end:
            raise CommandError("Ngày bắt đầu phải trước hoặc bằng ngày kết thúc.")
        began = time.perf_counter()
        written = facts_rebuild(start=start, end=end)
        if options["verbosity"] >= 1:
            seconds = time.perf_counter() - began
            self.stdout.write(f"Đã tính lại {written} dòng số liệu hồ sơ theo ngày trong {seconds:.1f} giây.")
