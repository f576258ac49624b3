"""Calling /api/v1/ from a test as a login with a fresh token of a scope."""

import json

from truenorth.api.models import ApiToken


def api_request(client, user, method: str, url: str, body=None, scope: str = "read"):
    """The response to `method url` (with `body` as JSON) under a new token of `user`."""
    _, token = ApiToken.issue(user, "test", scope)
    extra = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    if body is not None:
        extra.update(data=json.dumps(body), content_type="application/json")
    return getattr(client, method)(url, **extra)


def caller(client, users, base: str):
    """request(method, path, body, role, scope): `method base+path` as a login of `role` (an
    editor by default) with a new token of `scope` (write by default)."""

    def request(method, path="", body=None, role="editor", scope="write"):
        return api_request(client, users[role], method, f"{base}{path}", body, scope=scope)

    return request
