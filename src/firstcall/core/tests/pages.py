"""A page's whole text, for tests: the workbench and the call page stream their panels after
the shell (`customers.panels.stream`), so their answer has no `content`, only its parts."""

from typing import Any


def text(response: Any) -> str:
    """The body of a test client's answer, streamed or not."""
    if getattr(response, "streaming", False):
        return b"".join(response).decode()
    return response.content.decode()


async def atext(response: Any) -> str:
    """The body of an async test client's answer, streamed or not."""
    if getattr(response, "streaming", False):
        return b"".join([chunk async for chunk in response.streaming_content]).decode()
    return response.content.decode()
