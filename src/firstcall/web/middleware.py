"""Django's Content-Security-Policy middleware, without the thread hop in async mode.

Django's MiddlewareMixin runs sync hooks through `sync_to_async` when the chain is async, two hops
per request on the agent's async panels. Both hooks here are pure (a lazy nonce, a header built
from settings), so they run on the event loop as they are.
"""

from collections.abc import Awaitable
from typing import cast

from django.http import HttpRequest, HttpResponse
from django.middleware import csp


class ContentSecurityPolicyMiddleware(csp.ContentSecurityPolicyMiddleware):
    async def __acall__(self, request: HttpRequest) -> HttpResponse:
        self.process_request(request)
        response = await cast("Awaitable[HttpResponse]", self.get_response(request))
        return cast(HttpResponse, self.process_response(request, response))
