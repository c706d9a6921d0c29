"""Sign-in protection: who the client is behind proxies, the lock-out answer, API tokens that expire.

Wrong passwords are counted by django-axes in the database, so every web worker sees the same count: an
account or a client is locked for AXES_COOLOFF_TIME after LOGIN_FAILURE_LIMIT wrong passwords, on /login/,
/admin/login/ and /api/auth/token/ alike.
"""
from datetime import timedelta

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication


def client_ip(request) -> str:
    """The client's address; X-Forwarded-For counts only when the request came through a configured proxy."""
    meta = getattr(request, "META", {})
    remote = meta.get("REMOTE_ADDR", "") or ""
    trusted = set(getattr(settings, "TRUSTED_PROXIES", ()))
    if remote in trusted:
        hops = [hop.strip() for hop in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        for hop in reversed(hops):  # the right-most address no trusted proxy added is the client
            if hop not in trusted:
                return hop
    return remote


def lockout_response(request, original_response=None, credentials=None):
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    message = f"Too many wrong passwords. Sign-in is locked for {minutes} minutes; try again later."
    if request.path.startswith("/api/"):
        from suite.api.errors import error_body

        response = JsonResponse(error_body("locked_out", message), status=429)
    else:
        response = HttpResponse(
            f"<!doctype html><title>Locked</title><h1>Sign-in locked</h1><p>{message}</p>", status=429
        )
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response


def token_expired(token) -> bool:
    ttl = getattr(settings, "API_TOKEN_TTL", 0)
    return bool(ttl) and token.created < timezone.now() - timedelta(seconds=ttl)


class ExpiringTokenAuthentication(TokenAuthentication):
    """A token older than API_TOKEN_TTL seconds no longer signs anyone in; /api/auth/token/ issues a new one."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if token_expired(token):
            raise exceptions.AuthenticationFailed("The token has expired; ask /api/auth/token/ for a new one.")
        return user, token


from axes.backends import AxesStandaloneBackend  # noqa: E402


class SignInGuardBackend(AxesStandaloneBackend):
    """django-axes' check before the password one; a sign-in without a request (test client, shell) has no
    client to count, so it goes straight to the password check instead of failing."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
