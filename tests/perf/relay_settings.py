"""Settings for the baseline: the Channels tutorial chat relay, nothing else.

No apps, no database, no sessions, no auth. The channel layer is Channels' default Redis layer
(channels_redis.core.RedisChannelLayer) on the same Redis as the platform, with the redis-py
pool cap and socket timeout raised as ../shared/LIBRARIES.md says (the defaults break under load).
Used only by tests/perf (DJANGO_SETTINGS_MODULE=tests.perf.relay_settings).
"""

import os

SECRET_KEY = os.environ.get("SECRET_KEY", "perf-relay-not-a-secret")
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS: list[str] = []
DATABASES: dict = {}
ROOT_URLCONF = "tests.perf.relay_asgi"
ASGI_APPLICATION = "tests.perf.relay_asgi.application"
USE_TZ = True
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        "CONFIG": {
            "hosts": [
                {
                    "address": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/5"),
                    "max_connections": 2000,
                    "socket_timeout": 30,
                    "socket_connect_timeout": 5,
                    "health_check_interval": 15,
                }
            ],
            "prefix": os.environ.get("CHANNEL_LAYER_PREFIX", "perf-relay"),
        },
    }
}
