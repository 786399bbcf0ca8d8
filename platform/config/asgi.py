import gc
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402  (after Django is set up)
from django.conf import settings  # noqa: E402

from config.routing import websocket_urlpatterns  # noqa: E402
from core.ws import PlatformSocketStack  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": PlatformSocketStack(URLRouter(websocket_urlpatterns)),
    }
)

# This process sends the e-mail notices and the talk reminders that fall due and raises the alerts
# for hostility and night bursts, each from a thread of its own (messaging.notices,
# trajectories.reminders, moderation.policy). In production they run in processes of their own.
if settings.NOTICE_WORKER:
    from messaging.notices import worker_start  # noqa: E402
    from moderation.policy import worker_start as alerts_worker_start  # noqa: E402
    from trajectories.reminders import worker_start as reminders_worker_start  # noqa: E402

    worker_start()
    reminders_worker_start()
    alerts_worker_start()

# Everything loaded so far (Django, the URL conf, the consumers) lives as long as the process:
# move it out of the collector's way, so that collections with many open sockets only walk what
# the sockets made. tests/perf saw 50-240 ms pauses without this.
gc.collect()
gc.freeze()
