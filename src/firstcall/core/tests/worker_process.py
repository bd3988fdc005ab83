"""A worker in its own process for the tests: `python -m firstcall.core.tests.worker_process
--lease S`, connected to the test database through DATABASE_URL; it knows the tests' handlers."""

import os
import sys
from datetime import timedelta

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "firstcall.settings")
    import django

    django.setup()
    from firstcall.core import outbox
    from firstcall.core.tests import jobs
    from firstcall.core.worker import Worker

    outbox.register("test.block", jobs.blocking_handler)
    outbox.register("test.record", jobs.record_handler)
    lease = float(sys.argv[sys.argv.index("--lease") + 1]) if "--lease" in sys.argv else 60.0
    worker = Worker(lease=timedelta(seconds=lease), idle=0.05, batch=10)
    worker.install_signals()
    worker.run()
