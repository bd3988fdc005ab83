import pytest
from asgiref.sync import sync_to_async
from django.db import connections

from firstcall.integrations.tests import live_sandbox


@pytest.fixture
async def live(transactional_db: None):
    """The sandbox on a loopback port with the registry pointed at it. The flow tests need no
    org tree, so nothing is re-seeded after each test's flush."""
    server, sandbox = await live_sandbox.start()
    yield sandbox
    await live_sandbox.stop(server, sandbox)
    await sync_to_async(connections.close_all)()
