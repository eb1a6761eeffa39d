"""What the digitisation counters endpoint answers."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from datastore.digitisation import COUNTER_KEYS, CounterReport, CounterRow


class CounterAgencySerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    edoc_code = serializers.CharField(help_text="Mã định danh điện tử của cơ quan (Quyết định 20/2020).")
    name = serializers.CharField()


class CountersSerializer(serializers.Serializer[Any]):
    """The eight counters, under the names the provincial systems' API gives them."""

    tiepNhan = serializers.IntegerField(help_text="Hồ sơ tiếp nhận trong kỳ.")
    chuaSoHoaTPHS = serializers.IntegerField(help_text="Tiếp nhận, chưa có tệp cho mọi thành phần bắt buộc.")
    coSoHoaTPHS = serializers.IntegerField(help_text="Tiếp nhận, mọi thành phần bắt buộc đều có tệp.")
    coTaiSuDungTPHS = serializers.IntegerField(help_text="Tiếp nhận, có thành phần dùng lại từ kho dữ liệu.")
    coTaiSuDungTPHSTuDvcQg = serializers.IntegerField(
        help_text="Tiếp nhận, có thành phần dùng lại từ giấy tờ lấy từ Cổng DVC quốc gia."
    )
    daGiaiQuyet = serializers.IntegerField(help_text="Hồ sơ có kết quả giải quyết trong kỳ.")
    daGiaiQuyetChuaSoHoa = serializers.IntegerField(help_text="Đã giải quyết, không có tệp kết quả.")
    daGiaiQuyetDaSoHoa = serializers.IntegerField(help_text="Đã giải quyết, có tệp kết quả điện tử.")


class CounterRowSerializer(CountersSerializer):
    agency = CounterAgencySerializer()


class CounterReportSerializer(serializers.Serializer[Any]):
    start = serializers.DateField(help_text="Từ ngày (giờ Việt Nam).")
    end = serializers.DateField(help_text="Đến hết ngày (giờ Việt Nam).")
    agency = CounterAgencySerializer(allow_null=True)
    rows = CounterRowSerializer(many=True, help_text="Một dòng cho mỗi cơ quan giải quyết có số liệu.")
    total = CountersSerializer()


def _agency(row: CounterRow | None, report: CounterReport | None = None) -> dict[str, Any] | None:
    agency = row.agency if row is not None else (report.agency if report else None)
    if agency is None:
        return None
    return {"id": agency.pk, "edoc_code": agency.edoc_code, "name": agency.name}


def report_data(report: CounterReport) -> dict[str, Any]:
    """The report as the serializer above describes it."""
    return {
        "start": report.start,
        "end": report.end,
        "agency": _agency(None, report),
        "rows": [{"agency": _agency(row), **{key: row[key] for key in COUNTER_KEYS}} for row in report.rows],
        "total": {key: report.total[key] for key in COUNTER_KEYS},
    }
