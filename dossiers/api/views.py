"""API of dossiers: submit online, list and read what one may see, act on a dossier, public lookup.

Views are thin: they read the request, call the access layer and the services, and answer. The
engine's refusals become 400/403/409 with its Vietnamese message (``dossiers.api.errors``).
"""

from __future__ import annotations

from typing import Any, ClassVar, NoReturn

from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status as http
from rest_framework.exceptions import NotFound, PermissionDenied, Throttled
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api.permissions import HasScope
from accounts.models import User
from accounts.scopes import Scope
from agencies.models import Agency
from agencies.selectors import agency_on
from catalog.models import ProcedureVersion
from catalog.selectors import procedure_in_force
from dossiers.api import examples
from dossiers.api.actions import API_ACTIONS, ApiAction, attach_files
from dossiers.api.errors import DossierErrorsMixin, bad_request
from dossiers.api.filters import DossierFilter
from dossiers.api.lookup import LookupThrottle, cached_public_lookup
from dossiers.api.pagination import DossierPagination
from dossiers.api.reads import QUEUES, access_dossier_by_key, dossier_detail, dossier_list
from dossiers.api.serializers import (
    DossierCreateSerializer,
    DossierDetailSerializer,
    DossierLookupSerializer,
    DossierSummarySerializer,
)
from dossiers.errors import ConcurrentUpdate, TransitionNotAllowed
from dossiers.models import Dossier, DossierFile, Status
from dossiers.permissions import facts_read_once
from dossiers.services import ApplicantData, dossier_draft_create, dossier_submit
from dossiers.services.stored_files import StoredFiles
from dossiers.transitions import CONCURRENT_MESSAGE
from workcalendar.clock import pinned_calendar

IDEMPOTENCY_HEADER = "Idempotency-Key"
MAX_IDEMPOTENCY_KEY = 64


def _user(request: Request) -> User:
    user = request.user
    assert isinstance(user, User)  # IsAuthenticated let the request in
    return user


def detail_response(user: User, dossier: Dossier, status: int = http.HTTP_200_OK) -> Response:
    detail = dossier_detail(user, dossier)
    return Response(DossierDetailSerializer(dossier, context={"detail": detail}).data, status=status)


def _idempotency_key(request: Request) -> str | None:
    raw = request.headers.get(IDEMPOTENCY_HEADER)
    if raw is None:
        return None
    key = raw.strip()
    if not key or len(key) > MAX_IDEMPOTENCY_KEY:
        raise bad_request(
            _("Tiêu đề Idempotency-Key phải có từ 1 đến %(n)s ký tự.") % {"n": MAX_IDEMPOTENCY_KEY},
            code="bad_idempotency_key",
        )
    return key


def _procedure(code: str) -> ProcedureVersion:
    try:
        return procedure_in_force(code=code.strip())
    except ProcedureVersion.DoesNotExist:
        raise bad_request(
            _("Không có thủ tục đang áp dụng với mã %(code)s.") % {"code": code}, field="procedure"
        ) from None


def _commune(code: str) -> Agency | None:
    if not code.strip():
        return None
    found = agency_on(code=code.strip())
    if found is None:
        raise bad_request(
            _("Không có xã, phường, đặc khu đang hoạt động với mã %(code)s.") % {"code": code},
            field="commune",
        )
    return found


IDEMPOTENCY_PARAMETER = OpenApiParameter(
    IDEMPOTENCY_HEADER,
    str,
    location=OpenApiParameter.HEADER,
    required=False,
    description=(
        "Khóa chống gửi trùng (1–64 ký tự) do bên gọi sinh, ví dụ một UUID. Gửi lại cùng khóa "
        "(mạng chập chờn, bấm hai lần) nhận lại đúng hồ sơ đã tạo, mã 200, không tạo hồ sơ mới."
    ),
)


class DossierListCreateApi(DossierErrorsMixin, GenericAPIView[Dossier]):
    """The dossiers the caller may see (GET) and online submission (POST)."""

    permission_classes = (IsAuthenticated, HasScope)
    required_scopes: ClassVar[dict[str, str]] = {"GET": Scope.DOSSIERS_READ, "POST": Scope.DOSSIERS_WRITE}
    serializer_class = DossierSummarySerializer
    filterset_class = DossierFilter
    pagination_class = DossierPagination

    def get_queryset(self) -> Any:
        queue = self.request.query_params.get("queue", "") if self.request else ""
        if queue and queue not in QUEUES:
            raise bad_request(
                _("Hàng đợi «%(queue)s» không tồn tại; chọn một trong: %(names)s.")
                % {"queue": queue, "names": ", ".join(QUEUES)},
                field="queue",
            )
        return dossier_list(self.request.user, queue=queue)

    @extend_schema(
        operation_id="dossiers_list",
        summary="Danh sách hồ sơ người gọi được xem",
        description=(
            "Người dân: hồ sơ của mình. Cán bộ: hồ sơ mà nơi tiếp nhận, cơ quan giải quyết hoặc một bước "
            "xử lý thuộc cơ quan của mình. Quản trị tỉnh: mọi hồ sơ. Hệ thống tích hợp (phạm vi "
            "`dossiers:read`): hồ sơ mình đã nộp và hồ sơ của cơ quan mình. Mới nhất trước; với `queue`, "
            "theo thứ tự của hàng đợi (hạn xử lý gần nhất trước). Phân trang `page`, `page_size` (≤ 200)."
        ),
        tags=["dossiers"],
        parameters=[
            OpenApiParameter(
                "status",
                str,
                description=(
                    "Trạng thái, nhiều giá trị cách nhau dấu phẩy: tên (submitted, received, processing, "
                    "supplement_requested, awaiting_payment, resolved, returned, not_accepted, withdrawn, "
                    "stopped, draft) hoặc mã trạng thái quốc gia 1–10. Ví dụ: processing,5"
                ),
            ),
            OpenApiParameter(
                "queue",
                str,
                enum=list(QUEUES),
                description=(
                    "Hàng đợi công việc của cán bộ: to_receive (chờ tiếp nhận), to_process (đang có việc), "
                    "due_soon (sắp đến hạn), overdue (quá hạn)."
                ),
            ),
        ],
        responses={200: DossierSummarySerializer(many=True)},
        examples=[examples.LIST_ITEM],
    )
    def get(self, request: Request) -> Response:
        with facts_read_once():  # the caller's roles and scope, read once for the three queries
            rows = self.filter_queryset(self.get_queryset())
            # A narrow sort: the page's ids (and the total) first, then their rows with what a row joins.
            page_ids = self.paginate_queryset(rows)
            assert page_ids is not None  # the list is always paginated
            by_id = dossier_list(request.user).in_bulk(list(page_ids))  # the rule again, not the queue
        page = [by_id[pk] for pk in page_ids if pk in by_id]
        with pinned_calendar():  # one read of the calendar's version for the page's due dates
            data = self.get_serializer(page, many=True).data
        return self.get_paginated_response(data)

    @extend_schema(
        operation_id="dossiers_create",
        summary="Nộp hồ sơ trực tuyến",
        description=(
            "Người dân nộp cho chính mình (mã truy cập Bearer); hệ thống tích hợp có phạm vi "
            "`dossiers:write` nộp thay người nộp ghi trong `applicant` (bắt buộc họ tên). Thành phần hồ sơ "
            "gửi trong `components`, mỗi tệp mã hóa base64 (PDF, JPEG, PNG; DOCX/XLSX khi mẫu đơn là tệp "
            "Word/Excel; mỗi tệp tối đa 10 MB theo cấu hình), `component` là số thứ tự thành phần trong "
            "thủ tục. Hồ sơ được tạo, đính kèm và nộp trong một giao dịch: có lỗi thì không có gì được "
            "lưu. Trả 201 với hồ sơ ở trạng thái “Mới đăng ký” (mã trạng thái 1); `code` là null cho đến "
            "khi bộ phận một cửa tiếp nhận, `reference` dùng để tra cứu trước đó."
        ),
        tags=["dossiers"],
        parameters=[IDEMPOTENCY_PARAMETER],
        request={"application/json": DossierCreateSerializer},
        responses={
            201: DossierDetailSerializer,
            200: OpenApiResponse(DossierDetailSerializer, description="Gửi lại cùng Idempotency-Key."),
            400: OpenApiResponse(description="Dữ liệu không hợp lệ, thiếu thành phần bắt buộc, tệp sai."),
            401: OpenApiResponse(description="Chưa xác thực."),
            403: OpenApiResponse(description="Không phải người dân hoặc hệ thống tích hợp có phạm vi."),
        },
        examples=[examples.CREATE_REQUEST, examples.DETAIL, examples.BAD_REQUEST],
    )
    def post(self, request: Request) -> Response:
        user = _user(request)
        key = _idempotency_key(request)
        if key is not None:
            earlier = (
                Dossier.objects.restrict(user, "view").filter(submitted_by=user, idempotency_key=key).first()
            )
            if earlier is not None:
                return detail_response(user, earlier)
        data = DossierCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        version = _procedure(values["procedure"])
        commune = _commune(values["commune"])
        given = values.get("applicant")
        applicant = ApplicantData(**given) if given else None
        with StoredFiles() as stored, transaction.atomic():
            try:
                dossier = dossier_draft_create(
                    actor=user,
                    procedure_version=version,
                    commune=commune,
                    applicant=applicant,
                    idempotency_key=key,
                    notes=values["notes"],
                )
            except TransitionNotAllowed as refused:  # who may submit online at all: 403, not 409
                raise PermissionDenied(refused.message, code=refused.code) from refused
            if dossier.status != Status.DRAFT:  # the same key, sent twice at once: the other won
                return detail_response(user, dossier)
            attach_files(
                dossier=dossier,
                actor=user,
                files=values["components"],
                kind=DossierFile.Kind.COMPONENT,
                stored=stored,
                field="components",
            )
            dossier = dossier_submit(dossier=dossier, actor=user, idempotency_key=key)
        return detail_response(user, dossier, status=http.HTTP_201_CREATED)


KEY_PARAMETER = OpenApiParameter(
    "code",
    str,
    location=OpenApiParameter.PATH,
    description="Mã số hồ sơ (000.00.31.H40-250424-0001), hoặc mã tham chiếu nộp khi hồ sơ chưa có mã số.",
)


class DossierDetailApi(DossierErrorsMixin, APIView):
    """One dossier the caller may see."""

    permission_classes = (IsAuthenticated, HasScope)
    required_scopes: ClassVar[dict[str, str]] = {"GET": Scope.DOSSIERS_READ}

    @extend_schema(
        operation_id="dossiers_retrieve",
        summary="Thông tin một hồ sơ",
        description=(
            "Hồ sơ đầy đủ: người nộp, thời hạn, các bước xử lý, tệp, nhật ký và `allowed_actions` (các "
            "thao tác người gọi được thực hiện lúc này). 404 khi không có hồ sơ hoặc người gọi không "
            "được xem — hai trường hợp trả lời như nhau."
        ),
        tags=["dossiers"],
        parameters=[KEY_PARAMETER],
        responses={200: DossierDetailSerializer, 404: OpenApiResponse(description="Không tìm thấy.")},
        examples=[examples.DETAIL],
    )
    def get(self, request: Request, code: str) -> Response:
        user = _user(request)
        return detail_response(user, access_dossier_by_key(user, code))


class DossierActionApi(DossierErrorsMixin, APIView):
    """Base of the action endpoints; one subclass per :class:`ApiAction` (``action_view``)."""

    permission_classes = (IsAuthenticated, HasScope)
    required_scopes: ClassVar[dict[str, str]] = {"POST": Scope.DOSSIERS_WRITE}
    spec: ClassVar[ApiAction]

    def post(self, request: Request, code: str) -> Response:
        user = _user(request)
        dossier = access_dossier_by_key(user, code, "change")
        data = self.spec.serializer(data=request.data)
        data.is_valid(raise_exception=True)
        seen = data.validated_data.get("lock_version")
        if seen is not None and seen != dossier.lock_version:
            # The caller acts on a version that is gone: reload first, whatever the action.
            raise ConcurrentUpdate(str(CONCURRENT_MESSAGE))
        self.spec.perform(dossier, user, data.validated_data)
        dossier.refresh_from_db()
        return detail_response(user, dossier)


def action_view(spec: ApiAction) -> type[DossierActionApi]:
    """The endpoint of ``spec``, documented with its own body."""

    def post(self: DossierActionApi, request: Request, code: str) -> Response:
        return DossierActionApi.post(self, request, code)

    documented = extend_schema(
        operation_id=spec.operation_id,
        summary=spec.summary,
        description=(
            spec.description
            + " Trả hồ sơ sau thao tác. 409 khi thao tác không thực hiện được ở trạng thái hiện tại hoặc "
            "hồ sơ vừa được người khác cập nhật (gửi `lock_version` để kiểm tra); 403 khi người gọi không "
            "có vai trò thực hiện thao tác này; 404 khi không thấy hồ sơ."
        ),
        tags=["dossiers"],
        parameters=[KEY_PARAMETER],
        request={"application/json": spec.serializer},
        responses={
            200: DossierDetailSerializer,
            400: OpenApiResponse(description="Dữ liệu không hợp lệ."),
            403: OpenApiResponse(description="Không có vai trò thực hiện thao tác này."),
            404: OpenApiResponse(description="Không tìm thấy."),
            409: OpenApiResponse(description="Không thực hiện được lúc này, hoặc xung đột cập nhật."),
        },
        examples=[*spec.examples, examples.CONFLICT],
    )(post)
    return type(
        "Dossier" + spec.slug.title().replace("-", "") + "Api",
        (DossierActionApi,),
        {"spec": spec, "post": documented, "__doc__": spec.summary, "__module__": __name__},
    )


ACTION_VIEWS: dict[str, type[DossierActionApi]] = {spec.slug: action_view(spec) for spec in API_ACTIONS}


class DossierLookupApi(APIView):
    """Anyone looks a dossier up by its code: procedure, stage, due date; nothing personal."""

    authentication_classes = ()
    permission_classes = (AllowAny,)
    throttle_classes = (LookupThrottle,)

    def throttled(self, request: Request, wait: float | None) -> NoReturn:
        raise TooManyLookups(wait)

    @extend_schema(
        operation_id="dossiers_lookup",
        summary="Tra cứu tình trạng hồ sơ theo mã",
        description=(
            "Công khai, không cần đăng nhập: tên thủ tục, giai đoạn giải quyết và ngày hẹn trả — không có "
            "thông tin cá nhân. Giới hạn số lần tra cứu theo địa chỉ (429 khi vượt)."
        ),
        tags=["dossiers"],
        auth=[],
        responses={
            200: DossierLookupSerializer,
            404: OpenApiResponse(description="Không có hồ sơ với mã này."),
            429: OpenApiResponse(description="Tra cứu quá nhiều lần, thử lại sau."),
        },
        examples=[examples.LOOKUP],
    )
    def get(self, request: Request, code: str) -> Response:
        found = cached_public_lookup(code)
        if found is None:
            raise NotFound(_("Không tìm thấy hồ sơ có mã %(code)s.") % {"code": code[:48]})
        return Response(found)


class TooManyLookups(Throttled):
    """429 in Vietnamese, with Retry-After."""

    def __init__(self, wait: float | None) -> None:
        detail = _("Bạn đã tra cứu quá nhiều lần.")
        seconds = None if wait is None else max(1, int(wait + 0.999))
        if seconds is not None:
            detail += " " + _("Vui lòng thử lại sau %(seconds)d giây.") % {"seconds": seconds}
        super().__init__(detail=detail)
        self.wait = seconds
