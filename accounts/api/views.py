"""API of accounts: sign in for a bearer token, sign out of it, and "who am I"."""

from __future__ import annotations

import math
from typing import Any, NoReturn

from django.contrib.auth import authenticate
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import APIException, Throttled
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from accounts.models import AccessToken, User
from accounts.permissions import integration_client
from accounts.selectors import current_memberships
from accounts.services import access_token_issue, access_token_revoke


class InvalidCredentials(APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = _("Tên đăng nhập hoặc mật khẩu không đúng.")
    default_code = "invalid_credentials"


class NotABearerToken(APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = _("Chỉ thu hồi được mã truy cập gửi trong tiêu đề Authorization: Bearer.")
    default_code = "not_a_bearer_token"


class TooManySignIns(Throttled):
    """429 in Vietnamese (DRF's own message has no Vietnamese translation)."""

    def __init__(self, wait: float | None) -> None:
        detail = gettext("Bạn đã thử đăng nhập quá nhiều lần.")
        seconds = None if wait is None else math.ceil(wait)
        if seconds is not None:
            detail += " " + gettext("Vui lòng thử lại sau %(seconds)d giây.") % {"seconds": seconds}
        super().__init__(detail=detail)
        self.wait = seconds  # sent as Retry-After


class TokenApi(APIView):
    """A person signs in for a bearer token (POST) and revokes the token they present (DELETE)."""

    throttle_classes = (ScopedRateThrottle,)
    throttle_scope = "auth"

    @extend_schema_serializer(component_name="TokenRequest")
    class InputSerializer(serializers.Serializer[Any]):
        username = serializers.CharField(label=_("tên đăng nhập"))
        password = serializers.CharField(label=_("mật khẩu"), trim_whitespace=False)

    @extend_schema_serializer(component_name="Token")
    class OutputSerializer(serializers.Serializer[Any]):
        token = serializers.CharField()
        token_type = serializers.CharField()
        expires_at = serializers.DateTimeField()

    def throttled(self, request: Request, wait: float | None) -> NoReturn:
        raise TooManySignIns(wait)

    def get_permissions(self) -> list[BasePermission]:
        if self.request.method == "POST":
            return [AllowAny()]
        return [IsAuthenticated()]

    @extend_schema(
        operation_id="auth_token_create",
        summary="Lấy mã truy cập (bearer token)",
        description=(
            "Đăng nhập bằng tên đăng nhập và mật khẩu; trả về mã truy cập dùng trong tiêu đề "
            "`Authorization: Bearer <token>`. Mã chỉ hiển thị một lần. Giới hạn số lần gọi theo "
            "phạm vi `auth`."
        ),
        request=InputSerializer,
        responses={
            200: OutputSerializer,
            400: OpenApiResponse(description="Tên đăng nhập hoặc mật khẩu không đúng."),
            429: OpenApiResponse(description="Gọi quá nhiều lần, thử lại sau."),
        },
        auth=[],
    )
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(
            request._request,
            username=data.validated_data["username"],
            password=data.validated_data["password"],
        )
        if not isinstance(user, User):
            raise InvalidCredentials
        issued = access_token_issue(user=user)
        output = self.OutputSerializer(
            {
                "token": issued.plain_token,
                "token_type": "Bearer",
                "expires_at": issued.access_token.expires_at,
            }
        )
        return Response(output.data)

    @extend_schema(
        operation_id="auth_token_revoke",
        summary="Thu hồi mã truy cập đang dùng",
        request=None,
        responses={
            204: OpenApiResponse(description="Đã thu hồi."),
            400: OpenApiResponse(description="Yêu cầu không gửi kèm mã truy cập Bearer."),
            401: OpenApiResponse(description="Chưa xác thực hoặc mã không dùng được."),
        },
    )
    def delete(self, request: Request) -> Response:
        if not isinstance(request.auth, AccessToken):
            raise NotABearerToken
        access_token_revoke(access_token=request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)


class _AgencyOut(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    code = serializers.CharField()


class _MembershipOut(serializers.Serializer[Any]):
    agency = _AgencyOut()
    role = serializers.CharField()
    role_display = serializers.CharField(source="get_role_display")
    title = serializers.CharField()
    valid_from = serializers.DateField()
    valid_to = serializers.DateField(allow_null=True)


class _ApiClientOut(serializers.Serializer[Any]):
    name = serializers.CharField()
    agency = _AgencyOut(allow_null=True)


class MeApi(APIView):
    """Who is calling: a person with their current roles, or an integration client with its scopes."""

    permission_classes = (IsAuthenticated,)

    @extend_schema_serializer(component_name="Me")
    class OutputSerializer(serializers.Serializer[Any]):
        username = serializers.CharField()
        kind = serializers.CharField()
        kind_display = serializers.CharField()
        full_name = serializers.CharField()
        memberships = _MembershipOut(many=True)
        api_client = _ApiClientOut(allow_null=True)
        scopes = serializers.ListField(child=serializers.CharField())

    @extend_schema(
        operation_id="auth_me",
        summary="Tài khoản đang gọi API",
        description=(
            "Người dùng: loại tài khoản và các vai trò đang giữ tại cơ quan. Hệ thống tích hợp: "
            "tên, cơ quan sử dụng và các phạm vi truy cập được cấp."
        ),
        responses={200: OutputSerializer},
    )
    def get(self, request: Request) -> Response:
        user = request.user
        assert isinstance(user, User)  # IsAuthenticated let the request in
        client = integration_client(user)
        output = self.OutputSerializer(
            {
                "username": user.username,
                "kind": user.kind,
                "kind_display": user.get_kind_display(),
                "full_name": user.get_full_name(),
                "memberships": current_memberships(user),
                "api_client": client,
                "scopes": sorted(client.scopes) if client else [],
            }
        )
        return Response(output.data)
