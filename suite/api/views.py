"""Accounts over the API: sign up, get a token, see who you are."""
from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from suite import access
from suite.auth import client_ip, lockout_response, token_expired
from suite import roles as R
from suite.services import user_signup


class UserOutput(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    email = serializers.EmailField()
    roles = serializers.ListField(child=serializers.CharField())
    is_staff = serializers.BooleanField()


def _user_out(user) -> dict:
    return UserOutput(
        {
            "id": user.pk,
            "username": user.username,
            "email": user.email,
            "roles": sorted(access.user_roles(user)),
            "is_staff": access.is_staff(user),
        }
    ).data


class SignupApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []

    class SignupInput(serializers.Serializer):
        username = serializers.RegexField(r"^[\w.@+-]+\Z", max_length=150)
        email = serializers.EmailField(required=False, allow_blank=True)
        password = serializers.CharField(write_only=True, style={"input_type": "password"})
        role = serializers.ChoiceField(choices=R.PUBLIC_ROLES)

    class SignupOutput(UserOutput):
        token = serializers.CharField()

    @extend_schema(request=SignupInput, responses={201: SignupOutput}, operation_id="auth_signup")
    def post(self, request):
        data = self.SignupInput(data=request.data)
        data.is_valid(raise_exception=True)
        user = user_signup(**data.validated_data)
        token, _ = Token.objects.get_or_create(user=user)
        return Response({**_user_out(user), "token": token.key}, status=status.HTTP_201_CREATED)


class LoginThrottle(AnonRateThrottle):
    """30 token requests a minute per client, counted in the shared throttle cache (not per web worker)."""

    rate = "30/min"

    def __init__(self):
        from django.core.cache import caches

        self.cache = caches["throttle"]
        super().__init__()

    def get_ident(self, request):
        return client_ip(request)


class TokenApi(APIView):
    """Exchange a user name and password for an API token."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [LoginThrottle]

    class TokenInput(serializers.Serializer):
        username = serializers.CharField()
        password = serializers.CharField(write_only=True, style={"input_type": "password"})

    @extend_schema(
        request=TokenInput,
        responses={200: inline_serializer("TokenOutput", {"token": serializers.CharField()})},
        operation_id="auth_token",
    )
    def post(self, request):
        data = self.TokenInput(data=request.data)
        data.is_valid(raise_exception=True)
        # The Django request, so django-axes counts a wrong password here as on /login/.
        user = authenticate(request._request, **data.validated_data)
        if getattr(request._request, "axes_locked_out", False):
            return lockout_response(request._request)
        if user is None or not user.is_active:
            raise serializers.ValidationError({"non_field_errors": ["Wrong user name or password."]})
        token, _ = Token.objects.get_or_create(user=user)
        if token_expired(token):  # an expired token is replaced, never handed out again
            token.delete()
            token = Token.objects.create(user=user)
        return Response({"token": token.key})


class MeApi(APIView):
    @extend_schema(responses={200: UserOutput}, operation_id="auth_me")
    def get(self, request):
        return Response(_user_out(request.user))
