"""How the API knows who is calling: a person's bearer token or an integration client's key.

Both answer 401 with a Vietnamese message when a credential is presented but cannot be used
(unknown, revoked, expired, or its account locked), and step aside (``None``) when their header
is absent, so the next class (the browser session) can try.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request

from accounts.models import AccessToken, ApiKey, User
from accounts.services import CredentialRejected, access_token_authenticate, api_key_authenticate


class BearerTokenAuthentication(BaseAuthentication):
    """``Authorization: Bearer <token>``, a token from ``POST /api/v1/auth/token/``."""

    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[User, AccessToken] | None:
        header = get_authorization_header(request).split()
        if not header or header[0].decode(errors="replace").lower() != self.keyword.lower():
            return None
        if len(header) != 2:
            raise AuthenticationFailed(
                _("Tiêu đề Authorization phải có dạng: Bearer <mã truy cập>."), code="token_malformed"
            )
        try:
            token = access_token_authenticate(plain_token=header[1].decode())
        except UnicodeDecodeError:
            raise AuthenticationFailed(_("Mã truy cập không hợp lệ."), code="token_invalid") from None
        except CredentialRejected as rejected:
            raise AuthenticationFailed(rejected.message, code=rejected.code) from None
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return f'{self.keyword} realm="api"'


class ApiKeyAuthentication(BaseAuthentication):
    """``X-Api-Key: congso_<prefix>_<secret>``, a key of an integration client.

    ``request.user`` is the client's service account, ``request.auth`` the ``ApiKey``.
    """

    header = "X-Api-Key"

    def authenticate(self, request: Request) -> tuple[User, ApiKey] | None:
        raw = request.headers.get(self.header)
        if raw is None:
            return None
        try:
            api_key = api_key_authenticate(plain_key=raw)
        except CredentialRejected as rejected:
            raise AuthenticationFailed(rejected.message, code=rejected.code) from None
        return api_key.client.user, api_key

    def authenticate_header(self, request: Request) -> str:
        return self.header
