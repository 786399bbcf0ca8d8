from django.urls import path

from core.consumers import PlatformConsumer
from messaging.consumers import MessagingMixin
from parentingplan.consumers import PlanMixin


class AppConsumer(PlanMixin, MessagingMixin, PlatformConsumer):
    """The one socket per tab: the platform's base frames plus each feature's frames."""


websocket_urlpatterns = [
    path("ws/", AppConsumer.as_asgi()),
]
