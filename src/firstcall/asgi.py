import os
import warnings

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "firstcall.settings")

# whitenoise streams static files through a synchronous iterator; they are small and cached, so
# Django's notice that it must consume them in a thread is expected, not a problem.
warnings.filterwarnings("ignore", message="StreamingHttpResponse must consume synchronous")

application = get_asgi_application()

# The expression parser's tables take a third of a second to build: at start, not on a call.
from firstcall.rules.expressions import warm_up  # noqa: E402 — needs the apps loaded above

warm_up()
