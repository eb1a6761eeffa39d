"""manage.py load_indicators [path]: load or update the indicator catalogue (idempotent)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from indicators.catalogue import CATALOGUE_FILE, CatalogueError, catalogue_load


class Command(BaseCommand):
    help = "Nạp hoặc cập nhật danh mục chỉ tiêu, nhóm chỉ số 766 và biểu mẫu báo cáo (theo mã)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path", nargs="?", default=str(CATALOGUE_FILE), help="Tệp JSON danh mục chỉ tiêu."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        if not path.exists():
            raise CommandError(f"Không tìm thấy tệp {path}.")
        try:
            result = catalogue_load(path=path)
        except CatalogueError as error:
            raise CommandError(str(error)) from error
        for warning in result.warnings:
            self.stderr.write(warning)
        if options["verbosity"] >= 1:
            self.stdout.write(
                f"Danh mục chỉ tiêu: {result.created} mục mới, {result.updated} mục cập nhật, "
                f"{result.unchanged} mục không đổi."
            )
