"""``manage.py payments_reconcile``: what the gateway and congso disagree on (see
``payments.selectors.reconciliation``). Exit status 1 with ``--fail-on-findings`` when anything
is listed, for a scheduler to alert on."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from payments.selectors import reconciliation


class Command(BaseCommand):
    help = "Đối soát thanh toán: giao dịch cổng đã xác nhận mà hệ thống chưa ghi nhận, giao dịch chờ quá lâu."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--stale-minutes", type=int, default=None, help="Chờ quá bao nhiêu phút (mặc định theo cấu hình)."
        )
        parser.add_argument(
            "--fail-on-findings", action="store_true", help="Thoát với mã 1 nếu có chênh lệch."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        minutes = options["stale_minutes"]
        if minutes is not None and minutes < 1:
            raise CommandError("--stale-minutes phải từ 1 trở lên")
        report = reconciliation(stale_after=dt.timedelta(minutes=minutes) if minutes else None)
        write = self.stdout.write
        write(f"Cổng đã xác nhận, hệ thống chưa ghi nhận: {len(report.unrecorded)}")
        for row in report.unrecorded:
            state = row.payment.get_status_display() if row.payment else "không có trong hệ thống"
            received = timezone.localtime(row.callback.received_at)
            write(
                f"  {row.txn_ref}\t{state}\tIPN lúc {received:%d/%m/%Y %H:%M:%S}\tlượt gọi #{row.callback.pk}"
            )
        write(f"Đang chờ xác nhận quá hạn: {len(report.stale_pending)}")
        for payment in report.stale_pending:
            created = timezone.localtime(payment.created_at)
            code = payment.dossier.code or payment.dossier.reference
            write(
                f"  {payment.txn_ref}\t{payment.amount} đồng\ttạo lúc {created:%d/%m/%Y %H:%M}\thồ sơ {code}"
            )
        write(f"Đã nộp đủ nhưng hồ sơ vẫn chờ nghĩa vụ tài chính: {len(report.paid_but_awaiting)}")
        for dossier in report.paid_but_awaiting:
            write(f"  {dossier.code or dossier.reference}")
        if options["fail_on_findings"] and not report.clean:
            raise CommandError("Có chênh lệch cần đối soát.", returncode=1)
