"""`python -m firstcall.sandbox [--port 8100 ...]`."""

from firstcall.sandbox.server import main

raise SystemExit(main())
