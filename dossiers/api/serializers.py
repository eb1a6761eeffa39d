"""Shapes of the dossier API: what a dossier looks like to the people and systems that may see it,
and the bodies of the requests that create one or act on one.

Files travel as base64 inside JSON (``Base64FileField``): integration platforms (the provincial
LGSP, the national portal) exchange JSON documents, and one request then carries the applicant,
the components and the idempotency key together. What a file *is* (type, size, name) is checked
by the services (``dossiers.services.files.check_upload``), not here.
"""

from __future__ import annotations

import base64
import binascii
import re
from decimal import Decimal
from typing import Any, ClassVar

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import Role, User
from agencies.models import Agency
from dossiers import conf
from dossiers.models import NATIONAL_STATUS_CODE, Dossier, DossierEvent, DossierFile, DossierStep, Rating
from dossiers.services import RATING_CRITERIA
from dossiers.services.files import size_text
from workcalendar.clock import due_date

MAX_FILES_PER_REQUEST = 20
_DATA_URL = re.compile(r"^data:[\w.+-]+/[\w.+-]+;base64,", re.IGNORECASE)


# --- Output -------------------------------------------------------------------------------------


class DossierAgencySerializer(serializers.Serializer[Agency]):
    code = serializers.CharField(
        source="edoc_code", help_text="Mã định danh điện tử (Quyết định 20/2020/QĐ-TTg), ví dụ H40.31."
    )
    name = serializers.CharField()


class DossierProcedureSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(source="procedure.code", help_text="Mã TTHC trên CSDL quốc gia.")
    name = serializers.CharField()
    version = serializers.IntegerField(source="number", help_text="Phiên bản thủ tục áp dụng cho hồ sơ.")


class DossierApplicantSerializer(serializers.Serializer[Dossier]):
    name = serializers.CharField(source="applicant_name")
    national_id = serializers.CharField(source="applicant_national_id")
    phone = serializers.CharField(source="applicant_phone")
    email = serializers.CharField(source="applicant_email")
    address = serializers.CharField(source="applicant_address")
    organization_name = serializers.CharField()
    organization_tax_code = serializers.CharField()


class DossierStatusFields(serializers.Serializer[Dossier]):
    """The status three ways: the engine's name, the national code (1–10) and its Vietnamese label."""

    status = serializers.CharField()
    status_code = serializers.SerializerMethodField(
        help_text="Mã trạng thái theo Cổng Dịch vụ công quốc gia (1–10); null khi hồ sơ chưa nộp."
    )
    status_label = serializers.CharField(source="get_status_display")
    due_date = serializers.SerializerMethodField(
        help_text="Ngày hẹn trả kết quả (ngày làm việc), null khi chưa tiếp nhận."
    )

    @extend_schema_field(OpenApiTypes.INT)
    def get_status_code(self, dossier: Dossier) -> int | None:
        return NATIONAL_STATUS_CODE.get(dossier.status)

    @extend_schema_field(OpenApiTypes.DATE)
    def get_due_date(self, dossier: Dossier) -> str | None:
        return due_date(dossier.due_at).isoformat() if dossier.due_at else None


class DossierSummarySerializer(DossierStatusFields):
    """Một hồ sơ trong danh sách."""

    code = serializers.CharField(allow_null=True, help_text="Mã số hồ sơ; null cho đến khi được tiếp nhận.")
    reference = serializers.CharField(help_text="Mã tham chiếu cấp khi tạo hồ sơ.")
    channel = serializers.CharField()
    procedure = DossierProcedureSerializer(source="procedure_version")
    applicant_name = serializers.CharField()
    receiving_agency = DossierAgencySerializer(allow_null=True)
    competent_agency = DossierAgencySerializer()
    submitted_at = serializers.DateTimeField(allow_null=True)
    received_at = serializers.DateTimeField(allow_null=True)
    due_at = serializers.DateTimeField(allow_null=True)
    resolved_at = serializers.DateTimeField(allow_null=True)
    finished_late = serializers.BooleanField(allow_null=True)
    lock_version = serializers.IntegerField()


class DossierStepSerializer(serializers.Serializer[DossierStep]):
    id = serializers.IntegerField(
        help_text="Số hiệu của bước; là `step` của các thao tác inter-agency-finish, inter-agency-assign."
    )
    order = serializers.IntegerField()
    name = serializers.CharField()
    agency = DossierAgencySerializer()
    role = serializers.CharField()
    is_inter_agency = serializers.BooleanField()
    assignee = serializers.SerializerMethodField()
    budget_hours = serializers.DecimalField(max_digits=6, decimal_places=1, coerce_to_string=False)
    started_at = serializers.DateTimeField(allow_null=True)
    due_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    timeliness = serializers.CharField(help_text="early, on_time, late; rỗng khi bước chưa xong.")

    @extend_schema_field(OpenApiTypes.STR)
    def get_assignee(self, step: DossierStep) -> str | None:
        return step.assignee.get_full_name() if step.assignee else None


class DossierFileSerializer(serializers.Serializer[DossierFile]):
    id = serializers.IntegerField()
    kind = serializers.CharField(help_text="component, supplement, result hoặc working.")
    component = serializers.IntegerField(
        source="requirement.order",
        allow_null=True,
        default=None,
        help_text="Số thứ tự thành phần hồ sơ trong thủ tục (components[].order của API thủ tục).",
    )
    origin = serializers.CharField()
    name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    uploaded_at = serializers.DateTimeField()


class DossierEventSerializer(serializers.Serializer[DossierEvent]):
    sequence = serializers.IntegerField()
    action = serializers.CharField()
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    at = serializers.DateTimeField()
    actor_name = serializers.CharField()
    agency = serializers.CharField(source="agency.name", allow_null=True, default=None)
    reason = serializers.CharField()


class DossierDetailSerializer(DossierSummarySerializer):
    """Một hồ sơ đầy đủ: người nộp, thời hạn, các bước, tệp, lịch sử và các thao tác người gọi
    được thực hiện lúc này.

    ``context["detail"]`` is a :class:`dossiers.api.reads.DossierDetail` with the related rows
    read once (``dossier_detail``)."""

    applicant = DossierApplicantSerializer(source="*")
    sets = serializers.IntegerField()
    notes = serializers.CharField()
    clock_started_at = serializers.DateTimeField(allow_null=True)
    original_due_at = serializers.DateTimeField(allow_null=True)
    paused_since = serializers.DateTimeField(allow_null=True)
    transferred_at = serializers.DateTimeField(allow_null=True)
    returned_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    apology_count = serializers.IntegerField()
    result_summary = serializers.CharField()
    steps = serializers.SerializerMethodField(help_text="Các bước xử lý (Mẫu 05), theo thứ tự.")
    files = serializers.SerializerMethodField(help_text="Các tệp đang có hiệu lực và đã bị thay thế.")
    history = serializers.SerializerMethodField(help_text="Nhật ký hồ sơ, cũ trước mới sau.")
    allowed_actions = serializers.SerializerMethodField(
        help_text="Các thao tác (POST /api/v1/dossiers/{code}/{action}/) người gọi được thực hiện lúc này."
    )

    @extend_schema_field(DossierStepSerializer(many=True))
    def get_steps(self, dossier: Dossier) -> Any:
        return DossierStepSerializer(self.context["detail"].steps, many=True).data

    @extend_schema_field(DossierFileSerializer(many=True))
    def get_files(self, dossier: Dossier) -> Any:
        return DossierFileSerializer(self.context["detail"].files, many=True).data

    @extend_schema_field(DossierEventSerializer(many=True))
    def get_history(self, dossier: Dossier) -> Any:
        return DossierEventSerializer(self.context["detail"].history, many=True).data

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_allowed_actions(self, dossier: Dossier) -> list[str]:
        return list(self.context["detail"].allowed_actions)


class DossierLookupSerializer(serializers.Serializer[Any]):
    """Điều ai cũng được biết từ mã hồ sơ: không có thông tin cá nhân."""

    code = serializers.CharField()
    procedure = serializers.CharField(help_text="Tên thủ tục.")
    stage = serializers.CharField(help_text="Giai đoạn giải quyết, bằng tiếng Việt.")
    due_date = serializers.DateField(allow_null=True, help_text="Ngày hẹn trả kết quả.")


# --- Input --------------------------------------------------------------------------------------


@extend_schema_field(
    {
        "type": "string",
        "format": "byte",
        "description": "Nội dung tệp mã hóa base64 (có thể có tiền tố data:…;base64,).",
    }
)
class Base64FileField(serializers.Field[bytes, str, str, Any]):
    """Bytes sent as base64 text; refused before decoding when larger than the upload limit."""

    default_error_messages: ClassVar[dict[str, Any]] = {
        "invalid": gettext_lazy("Nội dung tệp phải được mã hóa base64."),
        "too_large": gettext_lazy("Tệp vượt quá dung lượng tối đa %(limit)s."),
        "empty": gettext_lazy("Tệp rỗng."),
    }

    def to_internal_value(self, data: Any) -> bytes:
        if not isinstance(data, str):
            self.fail("invalid")
        text = _DATA_URL.sub("", data.strip(), count=1)
        text = "".join(text.split())
        limit = conf.upload_max_bytes()
        if len(text) * 3 // 4 > limit + 3:
            raise serializers.ValidationError(
                self.error_messages["too_large"] % {"limit": size_text(limit)}, code="too_large"
            )
        try:
            content = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            self.fail("invalid")
        if not content:
            self.fail("empty")
        return content

    def to_representation(self, value: bytes) -> str:
        return base64.b64encode(value).decode()


class DossierFileInSerializer(serializers.Serializer[Any]):
    """Một tệp gửi kèm: tên, nội dung base64 và (với thành phần hồ sơ) số thứ tự thành phần."""

    component = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        help_text=(
            "Số thứ tự thành phần hồ sơ trong thủ tục (components[].order của "
            "GET /api/v1/procedures/{code}/); bỏ trống cho tệp không thuộc thành phần nào."
        ),
    )
    name = serializers.CharField(max_length=255, help_text="Tên tệp, ví dụ to-khai.pdf.")
    content = Base64FileField()


def as_upload(item: dict[str, Any]) -> SimpleUploadedFile:
    """A validated ``DossierFileInSerializer`` item as the upload the services take."""
    return SimpleUploadedFile(item["name"], item["content"])


def _files_field(help_text: str, *, required: bool = False) -> serializers.ListField:
    extra: dict[str, Any] = {"min_length": 1} if required else {"required": False, "default": list}
    return serializers.ListField(
        child=DossierFileInSerializer(),
        max_length=MAX_FILES_PER_REQUEST,
        help_text=help_text + f" Tối đa {MAX_FILES_PER_REQUEST} tệp, mỗi tệp không quá giới hạn dung lượng.",
        **extra,
    )


class DossierApplicantInSerializer(serializers.Serializer[Any]):
    """Người nộp hồ sơ. Người dân nộp cho chính mình: họ tên và số định danh lấy từ tài khoản, chỉ
    cần (nếu muốn) cập nhật liên lạc. Hệ thống tích hợp nộp thay: bắt buộc họ tên."""

    name = serializers.CharField(max_length=150, required=False, default="")
    national_id = serializers.RegexField(
        r"^\d{12}$",
        required=False,
        allow_blank=True,
        default="",
        error_messages={"invalid": gettext_lazy("Số định danh cá nhân gồm 12 chữ số.")},
    )
    phone = serializers.CharField(max_length=16, required=False, allow_blank=True, default="")
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    address = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    organization_name = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    organization_tax_code = serializers.CharField(max_length=14, required=False, allow_blank=True, default="")


class DossierCreateSerializer(serializers.Serializer[Any]):
    """Nộp một hồ sơ trực tuyến: thủ tục, xã giải quyết (thủ tục cấp xã), người nộp và các tệp."""

    procedure = serializers.CharField(max_length=40, help_text="Mã TTHC, ví dụ 1.004471.")
    commune = serializers.CharField(
        max_length=35,
        required=False,
        allow_blank=True,
        default="",
        help_text="Mã định danh của xã, phường giải quyết (bắt buộc với thủ tục cấp xã), ví dụ H40.17.",
    )
    applicant = DossierApplicantInSerializer(required=False)
    notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    components = _files_field("Thành phần hồ sơ.")


class DossierLockVersionSerializer(serializers.Serializer[Any]):
    """Every action takes the version the caller saw (``lock_version`` of the dossier)."""

    lock_version = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=0,
        help_text=(
            "lock_version của hồ sơ mà người gọi đã đọc; nếu hồ sơ đã thay đổi từ đó, trả 409. "
            "Bỏ trống: không kiểm tra."
        ),
    )


class DossierSupplementItemSerializer(serializers.Serializer[Any]):
    component = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, help_text="Số thứ tự thành phần hồ sơ cần bổ sung."
    )
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=1000)


class DossierRequestSupplementSerializer(DossierLockVersionSerializer):
    items = DossierSupplementItemSerializer(
        many=True, help_text="Mọi giấy tờ cần bổ sung, hoàn thiện, trong một lần."
    )
    reason = serializers.CharField(max_length=2000)


class DossierSubmitSupplementSerializer(DossierLockVersionSerializer):
    files = _files_field("Giấy tờ bổ sung.", required=True)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class DossierReasonSerializer(DossierLockVersionSerializer):
    reason = serializers.CharField(max_length=2000)


class DossierOptionalReasonSerializer(DossierLockVersionSerializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class StaffUsernameField(serializers.SlugRelatedField[User]):
    """A civil servant named by their user name."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            slug_field="username",
            queryset=User.objects.filter(kind=User.Kind.STAFF, is_active=True),
            error_messages={
                "does_not_exist": gettext_lazy("Không có cán bộ với tên đăng nhập “{value}”."),
                "invalid": gettext_lazy("Tên đăng nhập không hợp lệ."),
            },
            **kwargs,
        )


class DossierForwardSerializer(DossierLockVersionSerializer):
    to_user = StaffUsernameField(
        required=False,
        allow_null=True,
        help_text="Tên đăng nhập của người nhận ở bước kế tiếp (nếu chỉ định).",
    )
    outcome = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class DossierAssignSerializer(DossierLockVersionSerializer):
    assignee = StaffUsernameField(help_text="Tên đăng nhập của người được phân công xử lý bước hiện tại.")


TASK_ROLES = [(role.value, str(role.label)) for role in Role if role != Role.PROVINCE_ADMIN]


class DossierInterAgencyStartSerializer(DossierLockVersionSerializer):
    agency = serializers.CharField(
        max_length=35,
        help_text="Mã định danh của cơ quan phối hợp (Quyết định 20/2020/QĐ-TTg), ví dụ H40.08.",
    )
    task = serializers.CharField(max_length=255, help_text="Nhiệm vụ của cơ quan phối hợp.")
    budget_hours = serializers.DecimalField(
        max_digits=6,
        decimal_places=1,
        min_value=Decimal("0.5"),
        help_text="Thời gian thực hiện, giờ làm việc (từ 0,5); hạn tính từ lúc gửi theo lịch của cơ quan đó.",
    )
    role = serializers.ChoiceField(
        choices=TASK_ROLES,
        required=False,
        default=Role.SPECIALIST.value,
        help_text="Vai trò nhận nhiệm vụ tại cơ quan phối hợp (mặc định specialist).",
    )


class DossierInterAgencyStepSerializer(DossierLockVersionSerializer):
    step = serializers.IntegerField(
        min_value=1, help_text="Số hiệu (steps[].id) của nhiệm vụ liên thông trong hồ sơ."
    )


class DossierInterAgencyFinishSerializer(DossierInterAgencyStepSerializer):
    outcome = serializers.CharField(
        max_length=4000, help_text="Kết quả thực hiện: nội dung trả lời, số văn bản, thông tin đã xác định."
    )
    files = _files_field("Văn bản trả lời của cơ quan phối hợp (PDF đã ký số, ảnh quét), nếu có.")


class DossierInterAgencyAssignSerializer(DossierInterAgencyStepSerializer):
    assignee = StaffUsernameField(
        help_text="Tên đăng nhập của cán bộ cơ quan phối hợp giữ vai trò của nhiệm vụ, được giao thực hiện."
    )


class DossierRequestPaymentSerializer(DossierLockVersionSerializer):
    """The fees still owed are listed by the engine from the procedure (as on the staff page);
    ``note`` adds to them or, with no fee owed, names the other obligation."""

    note = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=2000,
        help_text=(
            "Ghi chú gửi người nộp. Các khoản phí, lệ phí chưa nộp được liệt kê tự động; nghĩa vụ tài "
            "chính khác (thuế, tiền sử dụng đất …) phải ghi rõ tại đây."
        ),
    )
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=2000,
        help_text="Tên cũ của `note`, vẫn được nhận; không gửi cùng `note`.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        note, reason = attrs.get("note", "").strip(), attrs.pop("reason", "").strip()
        if note and reason:
            raise serializers.ValidationError(
                {"reason": [gettext_lazy("Chỉ gửi một trong hai trường note hoặc reason.")]}
            )
        attrs["note"] = note or reason
        return attrs


class DossierApologiseSerializer(DossierLockVersionSerializer):
    reason = serializers.CharField(max_length=2000)
    new_due_at = serializers.DateTimeField(help_text="Thời điểm hẹn trả mới, có múi giờ (ISO 8601).")


class DossierResolveSerializer(DossierLockVersionSerializer):
    summary = serializers.CharField(max_length=4000, help_text="Kết quả giải quyết.")
    files = _files_field("Tệp kết quả giải quyết (bắt buộc nếu chưa đính kèm trước).")


class DossierNoteSerializer(DossierLockVersionSerializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class DossierConfirmPaymentSerializer(DossierLockVersionSerializer):
    reference = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)


class DossierRateSerializer(serializers.Serializer[Any]):
    score = serializers.ChoiceField(
        choices=Rating.Score.choices, help_text="3 rất hài lòng, 2 hài lòng, 1 không."
    )
    criteria = serializers.DictField(
        required=False,
        default=dict,
        help_text="Đánh giá theo tiêu chí (1–3; “other” là văn bản): " + ", ".join(RATING_CRITERIA),
    )
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
