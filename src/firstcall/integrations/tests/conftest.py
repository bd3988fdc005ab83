import pytest
from asgiref.sync import sync_to_async
from django.db import connections

from firstcall.integrations.tests import live_sandbox


@pytest.fixture
async def live():
    """The sandbox on a loopback port with every registry system pointed at it."""
    server, sandbox = await live_sandbox.start()
    yield sandbox
    await live_sandbox.stop(server, sandbox)
    await sync_to_async(connections.close_all)()
