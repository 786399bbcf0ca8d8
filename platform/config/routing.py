"""The one socket per tab, composed from the features: a new feature is one module and one line here."""

from django.urls import path

from core.consumers import socket_consumer
from messaging.consumers import ChatFeature
from moderation.consumers import ModerationFeature
from parentingplan.consumers import PlanFeature

SOCKET_FEATURES = [ChatFeature, PlanFeature, ModerationFeature]

AppConsumer = socket_consumer(SOCKET_FEATURES)

websocket_urlpatterns = [
    path("ws/", AppConsumer.as_asgi()),
]
