"""API of directives and tasks: record a directive, propose tasks from a text, list tasks, take a
step. Civil servants only (people, by the access layer); integration clients are not granted a
directives scope yet, so they are refused."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api.permissions import HasScope
from accounts.models import User
from accounts.permissions import staff_agency_ids
from agencies.models import Agency
from congso.access import VIEW
from directives import services
from directives.api.serializers import (
    ActionInputSerializer,
    DirectiveInputSerializer,
    DirectiveSerializer,
    DirectiveSummarySerializer,
    ExtractInputSerializer,
    ExtractOutputSerializer,
    TaskDetailSerializer,
    TaskSerializer,
)
from directives.extraction import extract
from directives.models import Directive, Status, Task, TaskCoordination
from directives.permissions import ACTIONS, access_directive_by_id, access_task_by_id


class IsCivilServant(BasePermission):
    """Directives are the administration's business: civil servants holding a role today."""

    message = _("Chỉ cán bộ, công chức đang công tác mới dùng được chức năng này.")

    def has_permission(self, request: Request, view: APIView) -> bool:
        user = request.user
        return isinstance(user, User) and user.kind == User.Kind.STAFF and bool(staff_agency_ids(user))


PEOPLE_ONLY = (IsAuthenticated, HasScope, IsCivilServant)


def _django_errors(error: DjangoValidationError) -> ValidationError:
    if hasattr(error, "error_dict"):
        return ValidationError(
            {field: [str(m) for m in errs[0].messages] for field, errs in error.error_dict.items()}
        )
    return ValidationError({"detail": [str(message) for message in error.messages]})


class DirectiveListApi(GenericAPIView[Directive]):
    """The directives the person may see; POST records one from text or a file and proposes its tasks."""

    permission_classes = PEOPLE_ONLY
    required_scopes: ClassVar[dict[str, str]] = {}
    parser_classes = (JSONParser, MultiPartParser, FormParser)
    serializer_class = DirectiveSummarySerializer

    def get_queryset(self) -> Any:
        return (
            Directive.objects.restrict(self.request.user, VIEW)
            .select_related("issuer")
            .annotate(task_count=Count("tasks"))
            .order_by("-issued_on", "-pk")
        )

    @extend_schema(responses=DirectiveSummarySerializer(many=True))
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(DirectiveSummarySerializer(page, many=True).data)

    @extend_schema(
        request={
            "application/json": DirectiveInputSerializer,
            "multipart/form-data": DirectiveInputSerializer,
        },
        responses={201: DirectiveSerializer},
        description=(
            "Record a directive (number, date, issuer, signer, subject; the document as an uploaded "
            "DOCX/PDF/TXT `document` or as `text`) and get back the tasks congso proposes (`drafts`), "
            "to be reviewed on the page before they are assigned. Blank fields are read from the text."
        ),
    )
    def post(self, request: Request) -> Response:
        assert isinstance(request.user, User)
        params = DirectiveInputSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        owner = Agency.objects.filter(pk=data["owner_agency"]).first()
        issuer = Agency.objects.filter(pk=data["issuer"]).first()
        if owner is None or issuer is None:
            raise ValidationError({"detail": [_("Không tìm thấy cơ quan theo dõi hoặc cơ quan ban hành.")]})
        assigner = (
            User.objects.filter(pk=data["assigner"], kind=User.Kind.STAFF).first()
            if data["assigner"]
            else None
        )
        try:
            directive = services.directive_create(
                actor=request.user,
                data=services.DirectiveInput(
                    owner_agency=owner,
                    issuer=issuer,
                    kind=data["kind"],
                    number=data["number"],
                    issued_on=data["issued_on"],
                    signer_name=data["signer_name"],
                    signer_title=data["signer_title"],
                    subject=data["subject"],
                    text=data["text"],
                    assigner=assigner,
                ),
                document=data["document"],
            )
        except DjangoValidationError as error:
            raise _django_errors(error) from error
        return Response(DirectiveSerializer(directive).data, status=status.HTTP_201_CREATED)


class DirectiveDetailApi(APIView):
    permission_classes = PEOPLE_ONLY
    required_scopes: ClassVar[dict[str, str]] = {}

    @extend_schema(responses=DirectiveSerializer)
    def get(self, request: Request, pk: int) -> Response:
        directive = access_directive_by_id(request.user, pk, VIEW)
        return Response(DirectiveSerializer(directive).data)


class ExtractApi(APIView):
    """The tasks congso proposes for a notice's text; nothing is recorded."""

    permission_classes = PEOPLE_ONLY
    required_scopes: ClassVar[dict[str, str]] = {}

    @extend_schema(request=ExtractInputSerializer, responses=ExtractOutputSerializer)
    def post(self, request: Request) -> Response:
        params = ExtractInputSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        found = extract(params.validated_data["text"], on=params.validated_data["issued_on"])
        output = {
            "shape": found.shape,
            "issued_on": found.facts.issued_on or params.validated_data["issued_on"],
            "number": found.facts.number,
            "subject": found.facts.subject,
            "tasks": found.tasks,
        }
        return Response(ExtractOutputSerializer(output).data)


class TaskListApi(GenericAPIView[Task]):
    """Tasks the person may see, filtered by agency (lead or coordinating), status, deadline."""

    permission_classes = PEOPLE_ONLY
    required_scopes: ClassVar[dict[str, str]] = {}
    serializer_class = TaskSerializer
    queryset = Task.objects.none()  # the schema generator's model hint; get() restricts per user

    @extend_schema(
        parameters=[
            OpenApiParameter("agency", OpenApiTypes.INT, description="Cơ quan chủ trì hoặc phối hợp (id)"),
            OpenApiParameter("status", OpenApiTypes.STR, enum=Status.values),
            OpenApiParameter("due_before", OpenApiTypes.DATE, description="Hạn trước ngày (YYYY-MM-DD)"),
        ],
        responses=TaskSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        tasks = Task.objects.restrict(request.user, VIEW).select_related("lead_agency", "owner_agency")
        agency = request.query_params.get("agency", "")
        if agency:
            if not agency.isdigit():
                raise ValidationError({"agency": [_("Mã cơ quan phải là số.")]})
            coordinated = TaskCoordination.objects.filter(agency_id=int(agency)).values("task_id")
            tasks = tasks.filter(Q(lead_agency_id=int(agency)) | Q(pk__in=coordinated))
        wanted = request.query_params.get("status", "")
        if wanted:
            if wanted not in Status.values:
                raise ValidationError({"status": [_("Trạng thái không hợp lệ: %(s)s.") % {"s": wanted}]})
            tasks = tasks.filter(status=wanted)
        due_before = request.query_params.get("due_before", "")
        if due_before:
            try:
                day = dt.date.fromisoformat(due_before)
            except ValueError as error:
                raise ValidationError({"due_before": [_("Ngày phải có dạng YYYY-MM-DD.")]}) from error
            tasks = tasks.filter(due_on__lt=day)
        page = self.paginate_queryset(
            tasks.prefetch_related("coordinating_agencies").order_by("due_on", "pk")
        )
        return self.get_paginated_response(TaskSerializer(page, many=True).data)


class TaskDetailApi(APIView):
    permission_classes = PEOPLE_ONLY
    required_scopes: ClassVar[dict[str, str]] = {}

    @extend_schema(responses=TaskDetailSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return Response(TaskDetailSerializer(access_task_by_id(request.user, pk, VIEW)).data)


class TaskActionApi(APIView):
    """Take a step: accept, progress, report_done, request_extension, confirm, return,
    grant_extension, refuse_extension, cancel."""

    permission_classes = PEOPLE_ONLY
    required_scopes: ClassVar[dict[str, str]] = {}
    parser_classes = (JSONParser, MultiPartParser, FormParser)

    @extend_schema(
        request={"application/json": ActionInputSerializer, "multipart/form-data": ActionInputSerializer},
        responses=TaskDetailSerializer,
    )
    def post(self, request: Request, pk: int, action: str) -> Response:
        assert isinstance(request.user, User)
        action = action.replace("-", "_")
        if action not in ACTIONS:
            raise Http404(_("Không tìm thấy."))
        task = access_task_by_id(request.user, pk, VIEW)
        params = ActionInputSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        files = request.FILES.getlist("files")
        try:
            services.task_act(
                task=task, actor=request.user, action=action, files=files, **params.validated_data
            )
        except DjangoValidationError as error:
            raise _django_errors(error) from error
        return Response(TaskDetailSerializer(Task.objects.get(pk=task.pk)).data)
