"""manage.py catalog_reindex: recompute the search text after the thesaurus changed."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from catalog.services import procedures_reindex


class Command(BaseCommand):
    help = "Tính lại nội dung tìm kiếm của mọi phiên bản thủ tục (sau khi sửa catalog/search/synonyms.json)."

    def handle(self, *args: Any, **options: Any) -> None:
        changed = procedures_reindex()
        self.stdout.write(self.style.SUCCESS(f"Đã cập nhật nội dung tìm kiếm của {changed} phiên bản."))
