from django.urls import path

from moderation import views

app_name = "moderation"

urlpatterns = [
    path("gezin/<int:family_id>/contact/", views.contact_mode, name="contact_mode"),
    path("gezin/<int:family_id>/beoordelen/", views.review_queue, name="review_queue"),
    path("gezin/<int:family_id>/beleid/", views.policy, name="policy"),
    path("gezin/<int:family_id>/signalen/<int:alert_id>/afgehandeld/", views.alert_acknowledge,
         name="alert_acknowledge"),
]
