"""`Authorization: Token <key>` against the hashed keys of states.models.ApiToken."""

from rest_framework import authentication, exceptions

from states.models import ApiToken


class ApiTokenAuthentication(authentication.TokenAuthentication):
    """DRF's header format; the key is looked up by its digest, never stored."""

    model = ApiToken

    def authenticate_credentials(self, key):
        token = (
            ApiToken.objects.select_related("user")
            .filter(digest=ApiToken.digest_of(key))
            .first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed("Invalid token.")
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("User inactive or deleted.")
        return token.user, token
