"""ETag and If-None-Match on the API's reads: a client that has a page already gets 304 and no
body. The tag is the body's hash (Django's ConditionalGetMiddleware), so it changes exactly when
what the caller may read changes."""

from django.middleware.http import ConditionalGetMiddleware

API = "/api/v1/"


class ApiConditionalGetMiddleware(ConditionalGetMiddleware):
    def process_response(self, request, response):
        if not request.path.startswith(API):
            return response
        return super().process_response(request, response)
