from firstcall.customers.tests.conftest import live  # noqa: F401 - the sandbox fixture
