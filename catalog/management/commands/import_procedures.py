"""manage.py import_procedures: load a procedure catalogue file, all or nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from catalog.importing.json_file import read_json
from catalog.importing.national_sheet import COLUMNS, read_sheet
from catalog.importing.rows import parse_date
from catalog.services import ImportFailed, ImportReport, procedure_import

FORMATS = ("json", "xlsx", "csv")


def _columns_help() -> str:
    return "; ".join(f"{c.title}{' (bắt buộc)' if c.required else ''}" for c in COLUMNS)


class Command(BaseCommand):
    help = (
        "Nhập danh mục thủ tục hành chính từ tệp, tất cả hoặc không gì cả: một dòng lỗi thì không ghi gì, "
        "mọi lỗi được liệt kê kèm số dòng. Nhập lại cùng tệp không tạo gì mới; thủ tục đổi nội dung thành "
        "phiên bản mới, phiên bản cũ hết áp dụng từ ngày phiên bản mới áp dụng. "
        "--format json: bố cục JSON của danh mục (catalog/IMPORT.md). "
        "--format xlsx|csv: bảng xuất từ Cơ sở dữ liệu quốc gia về TTHC, các cột "
        f"(không phân biệt hoa thường, có dấu hay không): {_columns_help()}. "
        "Lĩnh vực: cột “Mã lĩnh vực” hoặc tên lĩnh vực đã có."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="Tệp cần nhập (.json, .xlsx, .csv).")
        parser.add_argument(
            "--format", choices=FORMATS, help="Định dạng; mặc định theo phần mở rộng của tệp."
        )
        parser.add_argument("--dry-run", action="store_true", help="Kiểm tra và báo cáo, không ghi gì.")
        parser.add_argument(
            "--effective-from",
            help="Ngày áp dụng cho các dòng không ghi ngày (dd/mm/yyyy hoặc yyyy-mm-dd); mặc định hôm nay.",
        )
        parser.add_argument("--sheet", help="Tên trang tính (xlsx); mặc định trang đầu tiên.")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.exists():
            raise CommandError(f"Không có tệp {path}.")
        fmt = options["format"] or path.suffix.lower().lstrip(".")
        if fmt not in FORMATS:
            raise CommandError(f"Không nhận ra định dạng “{fmt}”; dùng --format json, xlsx hoặc csv.")
        effective_from: dt.date | None = None
        if options["effective_from"]:
            try:
                effective_from = parse_date(options["effective_from"])
            except ValueError:
                raise CommandError(
                    f"Ngày áp dụng “{options['effective_from']}” không đúng dạng dd/mm/yyyy."
                ) from None
        document_types: list[dict[str, Any]] = []
        if fmt == "json":
            found = read_json(path)
            sectors, document_types = found.sectors, found.document_types
            rows, errors = found.rows, found.errors
        else:
            sectors = []
            rows, errors = read_sheet(path, fmt=fmt, sheet=options["sheet"], effective_from=effective_from)
        try:
            if errors:
                raise ImportFailed(errors)
            report = procedure_import(
                sectors=sectors,
                document_types=document_types,
                rows=rows,
                default_effective_from=effective_from,
                dry_run=options["dry_run"],
            )
        except ImportFailed as failure:
            for error in failure.errors:
                self.stderr.write(str(error))
            raise CommandError(f"Không nhập được {path.name}: {failure}") from None
        self._summary(report)

    def _summary(self, report: ImportReport) -> None:
        prefix = "[Chạy thử, không ghi gì] " if report.dry_run else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"{prefix}Thủ tục mới: {len(report.created)}; phiên bản mới: {len(report.new_versions)}; "
                f"không đổi: {len(report.unchanged)}; lĩnh vực thêm hoặc sửa: {len(report.sectors_changed)}; "
                f"loại giấy tờ thêm hoặc sửa: {len(report.document_types_changed)}; "
                f"thủ tục cập nhật loại giấy tờ: {len(report.reuse_updated)}."
            )
        )
        for code in report.new_versions:
            self.stdout.write(f"  Phiên bản mới: {code}")
