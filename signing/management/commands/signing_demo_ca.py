"""manage.py signing_demo_ca: the local demo CA and the demo agencies' and staff certificates."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from signing.demo import demo_ca_ensure


class Command(BaseCommand):
    help = "Tạo CA thử nghiệm cục bộ và chứng thư số cho các cơ quan, cán bộ mẫu (chạy lại không tạo trùng)."

    def handle(self, *args: Any, **options: Any) -> None:
        summary = demo_ca_ensure(now=timezone.now())
        if summary.authority_created:
            self.stdout.write("Đã tạo CA thử nghiệm và thêm vào danh sách tổ chức được tin cậy.")
        for label in summary.issued:
            self.stdout.write(f"Đã cấp chứng thư số: {label}")
        if summary.kept and options["verbosity"] > 1:
            for label in summary.kept:
                self.stdout.write(f"Giữ nguyên chứng thư còn hiệu lực: {label}")
        for label in summary.missing:
            self.stderr.write(f"Không tìm thấy (chưa nạp dữ liệu mẫu?): {label}")
        issued, kept, missing = len(summary.issued), len(summary.kept), len(summary.missing)
        self.stdout.write(f"Xong: cấp mới {issued}, giữ nguyên {kept}, thiếu {missing}.")
