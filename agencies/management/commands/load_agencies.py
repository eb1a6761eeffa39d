"""manage.py load_agencies: create or update the province's administrative tree from data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from agencies.services import ProvinceLoadReport, province_load


class _DryRun(Exception):
    pass


class Command(BaseCommand):
    help = (
        "Nạp cây tổ chức của tỉnh: UBND tỉnh, các sở, ngành, Trung tâm Phục vụ hành chính công, "
        "các xã, phường (gói vietnam-provinces) và lịch sử (tệp dữ liệu tỉnh). Chạy lại an toàn."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--province",
            type=int,
            default=None,
            help="Mã TCTK của tỉnh (mặc định CONGSO_PROVINCE_GSO_CODE, ví dụ 20 = Lạng Sơn).",
        )
        parser.add_argument(
            "--file",
            type=Path,
            default=None,
            help="Tệp dữ liệu tỉnh (mặc định agencies/data/<tên tỉnh>.json nếu có).",
        )
        parser.add_argument(
            "--no-file",
            action="store_true",
            help="Chỉ nạp từ gói vietnam-provinces, bỏ qua tệp dữ liệu tỉnh (cần --level1-code).",
        )
        parser.add_argument(
            "--level1-code", default="", help="Mã cấp 1 của tỉnh (ví dụ H40) khi không có tệp dữ liệu."
        )
        parser.add_argument("--dry-run", action="store_true", help="Chỉ báo cáo, không ghi gì.")

    def handle(self, *args: Any, **options: Any) -> None:
        gso_code = options["province"] or settings.CONGSO_PROVINCE_GSO_CODE
        try:
            with transaction.atomic():
                report = province_load(
                    gso_code=gso_code,
                    structure=options["file"],
                    level1_code=options["level1_code"],
                    use_default_file=not options["no_file"],
                )
                self._print(report, verbosity=options["verbosity"])
                if options["dry_run"]:
                    raise _DryRun
        except _DryRun:
            self.stdout.write("Chạy thử (--dry-run): không có thay đổi nào được ghi.")
        except ValidationError as exc:
            raise CommandError("Không nạp được dữ liệu: " + "; ".join(_messages(exc))) from exc

    def _print(self, report: ProvinceLoadReport, *, verbosity: int) -> None:
        source = (
            f"tệp {report.structure}" if report.structure else "gói vietnam-provinces (không có tệp tỉnh)"
        )
        self.stdout.write(f"{report.province}: nạp từ {source}.")
        self.stdout.write(
            f"Tạo mới {len(report.created)}, cập nhật {len(report.updated)}, "
            f"giữ nguyên {report.unchanged}, bỏ qua {len(report.skipped)}, "
            f"thêm {report.links_created} liên kết kế thừa."
        )
        if verbosity >= 2:
            for agency in report.created:
                self.stdout.write(f"  + {agency.edoc_code:<12} {agency.name}")
        for agency, fields in report.updated:
            self.stdout.write(f"  ~ {agency.edoc_code:<12} {agency.name}: {', '.join(fields)}")
        for name, reason in report.skipped:
            self.stdout.write(f"  = {name}: {reason}")
        for warning in report.warnings:
            self.stderr.write(self.style.WARNING(f"Lưu ý: {warning}"))


def _messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [f"{field}: {message}" for field, errors in exc.message_dict.items() for message in errors]
    return [str(message) for message in exc.messages]
