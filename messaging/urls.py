from django.urls import path

from messaging import views

app_name = "messaging"

urlpatterns = [
    path("gesprek/<int:thread_id>/", views.thread_view, name="thread"),
    path("gesprek/<int:thread_id>/deelnemers/", views.participant_set, name="participant_set"),
    path("gesprek/<int:thread_id>/voorstel/<int:proposal_id>/", views.proposal_view, name="proposal"),
    path("gesprek/<int:thread_id>/export.json", views.export_json, name="export_json"),
    path("gesprek/<int:thread_id>/export.pdf", views.export_pdf, name="export_pdf"),
]
