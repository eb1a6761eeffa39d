"""Examples shown in the OpenAPI documentation of the dossier API (/api/v1/docs/)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample

_AGENCY_DESK = {"code": "H40.36", "name": "Trung tâm Phục vụ hành chính công tỉnh Lạng Sơn"}
_AGENCY_KHCN = {"code": "H40.08", "name": "Sở Khoa học và Công nghệ"}
_PROCEDURE = {"code": "1.004471", "name": "Cấp giấy phép bưu chính", "version": 1}

_SUMMARY = {
    "status": "received",
    "status_code": 2,
    "status_label": "Được tiếp nhận",
    "due_date": "2025-10-06",
    "code": "000.00.36.H40-250908-0003",
    "reference": "8F2C61D0A4B7",
    "channel": "online",
    "procedure": _PROCEDURE,
    "applicant_name": "Công ty TNHH Chuyển phát Xứ Lạng",
    "receiving_agency": _AGENCY_DESK,
    "competent_agency": _AGENCY_KHCN,
    "submitted_at": "2025-09-08T08:55:12+07:00",
    "received_at": "2025-09-08T09:10:40+07:00",
    "due_at": "2025-10-06T09:10:40+07:00",
    "resolved_at": None,
    "finished_late": None,
    "lock_version": 2,
}

LIST_ITEM = OpenApiExample(
    "Trang hồ sơ",
    value={"count": 1, "next": None, "previous": None, "results": [_SUMMARY]},
    response_only=True,
)

DETAIL = OpenApiExample(
    "Hồ sơ đã tiếp nhận",
    value={
        **_SUMMARY,
        "applicant": {
            "name": "Công ty TNHH Chuyển phát Xứ Lạng",
            "national_id": "",
            "phone": "0205 3870 123",
            "email": "lienhe@chuyenphatxulang.vn",
            "address": "Số 12 đường Bà Triệu, phường Lương Văn Tri, tỉnh Lạng Sơn",
            "organization_name": "Công ty TNHH Chuyển phát Xứ Lạng",
            "organization_tax_code": "4900876543",
        },
        "sets": 1,
        "notes": "",
        "clock_started_at": "2025-09-08T09:10:40+07:00",
        "original_due_at": "2025-10-06T09:10:40+07:00",
        "paused_since": None,
        "transferred_at": None,
        "returned_at": None,
        "closed_at": None,
        "apology_count": 0,
        "result_summary": "",
        "steps": [
            {
                "id": 1021,
                "order": 1,
                "name": "Tiếp nhận, kiểm tra hồ sơ và chuyển xử lý",
                "agency": _AGENCY_DESK,
                "role": "clerk",
                "is_inter_agency": False,
                "assignee": None,
                "budget_hours": 4.0,
                "started_at": "2025-09-08T09:10:40+07:00",
                "due_at": "2025-09-08T13:40:40+07:00",
                "finished_at": "2025-09-08T09:10:40+07:00",
                "timeliness": "early",
            }
        ],
        "files": [
            {
                "id": 311,
                "kind": "component",
                "component": 1,
                "origin": "uploaded",
                "name": "don-de-nghi.pdf",
                "content_type": "application/pdf",
                "size": 48213,
                "sha256": "9f2b5c0e4d1a7c3e8b6f0a2d4c6e8f0a1b3c5d7e9f1a3b5c7d9e1f3a5b7c9d1e",
                "uploaded_at": "2025-09-08T08:54:02+07:00",
            }
        ],
        "history": [
            {
                "sequence": 1,
                "action": "submit",
                "from_status": "draft",
                "to_status": "submitted",
                "at": "2025-09-08T08:55:12+07:00",
                "actor_name": "Hệ thống LGSP tỉnh Lạng Sơn",
                "agency": None,
                "reason": "",
            },
            {
                "sequence": 2,
                "action": "receive",
                "from_status": "submitted",
                "to_status": "received",
                "at": "2025-09-08T09:10:40+07:00",
                "actor_name": "Vi Thị Hoa",
                "agency": _AGENCY_DESK["name"],
                "reason": "",
            },
        ],
        "allowed_actions": ["forward", "withdraw"],
    },
    response_only=True,
)

CREATE_REQUEST = OpenApiExample(
    "Hệ thống tích hợp nộp thay doanh nghiệp",
    value={
        "procedure": "1.004471",
        "applicant": {
            "name": "Công ty TNHH Chuyển phát Xứ Lạng",
            "phone": "0205 3870 123",
            "email": "lienhe@chuyenphatxulang.vn",
            "address": "Số 12 đường Bà Triệu, phường Lương Văn Tri, tỉnh Lạng Sơn",
            "organization_name": "Công ty TNHH Chuyển phát Xứ Lạng",
            "organization_tax_code": "4900876543",
        },
        "components": [
            {"component": 1, "name": "don-de-nghi.pdf", "content": "JVBERi0xLjQKJcfsj6IK..."},
            {"component": 2, "name": "giay-chung-nhan-dkdn.pdf", "content": "JVBERi0xLjQKJcfsj6IK..."},
        ],
    },
    request_only=True,
)

BAD_REQUEST = OpenApiExample(
    "Thiếu thành phần bắt buộc",
    value={
        "detail": "Hồ sơ còn thiếu thành phần bắt buộc: Bảng giá cước dịch vụ bưu chính.",
        "code": "missing_components",
        "errors": {"requirement_57": ["Bảng giá cước dịch vụ bưu chính"]},
    },
    response_only=True,
    status_codes=["400"],
)

CONFLICT = OpenApiExample(
    "Không thực hiện được ở trạng thái hiện tại",
    value={
        "detail": "Không thể tiếp nhận hồ sơ khi hồ sơ đang ở trạng thái «Đã trả kết quả».",
        "code": "status",
    },
    response_only=True,
    status_codes=["409"],
)

LOOKUP = OpenApiExample(
    "Tra cứu công khai",
    value={
        "code": "000.00.36.H40-250908-0003",
        "procedure": "Cấp giấy phép bưu chính",
        "stage": "Đang giải quyết",
        "due_date": "2025-10-06",
    },
    response_only=True,
)

INTER_AGENCY_START = OpenApiExample(
    "Gửi nhiệm vụ liên thông đến cơ quan thuế",
    value={
        "agency": "H40.08.03",
        "task": "Xác định nghĩa vụ tài chính về đất đai",
        "budget_hours": 16,
        "role": "specialist",
        "lock_version": 5,
    },
    request_only=True,
)

INTER_AGENCY_ASSIGN = OpenApiExample(
    "Lãnh đạo cơ quan phối hợp giao nhiệm vụ",
    value={"step": 1187, "assignee": "thue.locvan", "lock_version": 6},
    request_only=True,
)

INTER_AGENCY_FINISH = OpenApiExample(
    "Cơ quan phối hợp trả kết quả",
    value={
        "step": 1187,
        "outcome": (
            "Đã xác định tiền sử dụng đất phải nộp: 12.500.000 đ (Thông báo số 215/TB-CCT ngày 12/9/2025)."
        ),
        "files": [{"name": "thong-bao-215-TB-CCT.pdf", "content": "JVBERi0xLjQKJcfsj6IK..."}],
        "lock_version": 7,
    },
    request_only=True,
)

REQUEST_PAYMENT = OpenApiExample(
    "Yêu cầu nộp phí, lệ phí của thủ tục",
    value={"note": "Nộp trực tuyến tại trang Thanh toán của hồ sơ hoặc tại quầy.", "lock_version": 3},
    request_only=True,
)

REQUEST_PAYMENT_OTHER = OpenApiExample(
    "Nghĩa vụ tài chính khác (không còn khoản phí nào)",
    value={
        "note": "Nộp tiền sử dụng đất theo Thông báo số 215/TB-CCT ngày 12/9/2025 của Chi cục Thuế.",
        "lock_version": 3,
    },
    request_only=True,
)
