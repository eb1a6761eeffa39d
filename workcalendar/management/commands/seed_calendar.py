"""manage.py seed_calendar [years...]: fill the calendar from holidays.VN (last, this and next
year by default), never overwriting a day an administrator has edited."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from workcalendar.services import calendar_default_years, calendar_seed_year


class Command(BaseCommand):
    help = (
        "Khởi tạo lịch ngày nghỉ, ngày làm bù từ thư viện holidays (VN) cho các năm chỉ định "
        "(mặc định: năm trước, năm nay, năm sau). Chạy lại không tạo trùng và không ghi đè "
        "ngày quản trị viên đã sửa."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("years", nargs="*", type=int, help="Các năm cần khởi tạo, ví dụ 2025 2026.")

    def handle(self, *args: Any, **options: Any) -> None:
        years: list[int] = options["years"] or calendar_default_years()
        for year in years:
            try:
                result = calendar_seed_year(year=year)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from error
            if options["verbosity"] >= 1:
                self.stdout.write(
                    f"Năm {year}: thêm {len(result.added)}, cập nhật {len(result.changed)}, "
                    f"xóa {len(result.removed)}, giữ nguyên {len(result.kept)} ngày do quản trị viên sửa."
                )
