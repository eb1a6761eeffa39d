"""Synthetic dossiers for the indicators benchmark (``bench/bench_indicators.py``), PostgreSQL only.

Never part of the demo or the tests: it writes millions of made-up dossiers (with their files,
fees, payments and ratings) straight into the tables, for measuring the operations centre at
province scale. The rows and how they are spread are described in
``bench/gen_indicator_dossiers.py``. Needs the agencies and the catalogue loaded first.

    manage.py gen_bench_dossiers --count 10000000
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils import timezone


class Command(BaseCommand):
    help = "Sinh hồ sơ giả lập (hàng triệu) để đo hiệu năng chỉ số — chỉ dùng với PostgreSQL."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, default=1_000_000, help="Số hồ sơ cần sinh.")
        parser.add_argument("--years", type=float, default=3.0, help="Số năm hoạt động trước hôm nay.")
        parser.add_argument(
            "--seed", type=int, default=42, help="Hạt giống ngẫu nhiên (cùng hạt, cùng dữ liệu)."
        )
        parser.add_argument("--workers", type=int, default=2, help="Số kết nối ghi song song.")
        parser.add_argument("--chunk", type=int, default=500_000, help="Số hồ sơ mỗi giao dịch.")

    def handle(self, *args: Any, **options: Any) -> None:
        from bench.gen_indicator_dossiers import generate

        if connection.vendor != "postgresql":
            raise CommandError("gen_bench_dossiers chỉ chạy với PostgreSQL (DATABASE_URL=postgres://…).")
        if options["count"] < 1:
            raise CommandError("--count phải lớn hơn 0.")
        started = time.perf_counter()
        result = generate(
            count=options["count"],
            now=timezone.now(),
            years=options["years"],
            seed=options["seed"],
            chunk=options["chunk"],
            workers=options["workers"],
            progress=lambda line: self.stdout.write(line),
        )
        took = time.perf_counter() - started
        parts = ", ".join(f"{name} {seconds:.0f} s" for name, seconds in result.seconds.items())
        self.stdout.write(
            f"gen_bench_dossiers: {result.dossiers:,} dossiers, {result.files:,} files, {result.fees:,} fee "
            f"lines, {result.payments:,} payments, {result.ratings:,} ratings in {took:.0f} s ({parts})"
        )
