"""``manage.py demo_dossiers``: about 300 demo dossiers of the last three months, in every state."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from agencies.models import Agency
from catalog.models import ProcedureVersion
from dossiers.demo import PROVINCE_DESK, load_demo_dossiers


class Command(BaseCommand):
    help = (
        "Tạo khoảng 300 hồ sơ mẫu trong ba tháng gần nhất, ở mọi trạng thái, qua các nghiệp vụ của hệ "
        "thống. Cần chạy load_demo trước. Chạy lại không tạo thêm hồ sơ."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if not Agency.objects.filter(name=PROVINCE_DESK).exists() or not ProcedureVersion.objects.exists():
            raise CommandError(
                "Chưa có dữ liệu mẫu của tỉnh (cơ quan, thủ tục): hãy chạy manage.py load_demo trước."
            )
        started = time.perf_counter()
        created = load_demo_dossiers(verbosity=int(options["verbosity"]))
        took = time.perf_counter() - started
        if created:
            message = f"Đã tạo {created} hồ sơ mẫu trong {took:.1f} giây."
        else:
            message = "Hồ sơ mẫu đã có đủ; không tạo thêm."
        self.stdout.write(self.style.SUCCESS(message))
