from django.urls import path

from trajectories import views

app_name = "trajectories"

urlpatterns = [
    # Fixed: outside checks find a family's trajectory here.
    path("gezin/<int:family_id>/traject/", views.family, name="family"),
    path("gezin/<int:family_id>/traject/<int:trajectory_id>/", views.detail, name="detail"),
    path("gezin/<int:family_id>/traject/starten/", views.start, name="start"),
    path("gezin/<int:family_id>/traject/starten/<slug:type_key>/", views.start_type, name="start_type"),
    path("gezin/<int:family_id>/traject/<int:trajectory_id>/afsluiten/", views.end, name="end"),
    path(
        "gezin/<int:family_id>/traject/<int:trajectory_id>/parallel-ouderschap/", views.switch, name="switch"
    ),
    path("gezin/<int:family_id>/traject/gesprek/nieuw/", views.talk_add, name="talk_add"),
    path("gezin/<int:family_id>/traject/gesprek/<int:talk_id>/", views.talk, name="talk"),
    path("gezin/<int:family_id>/traject/gesprek/<int:talk_id>/agenda.ics", views.talk_ics, name="talk_ics"),
    path("gezin/<int:family_id>/traject/gesprek/<int:talk_id>/gehouden/", views.talk_hold, name="talk_hold"),
    path(
        "gezin/<int:family_id>/traject/gesprek/<int:talk_id>/afzeggen/", views.talk_cancel, name="talk_cancel"
    ),
    path("agenda/", views.calendar_link, name="calendar"),
    path("agenda/<str:token>.ics", views.feed, name="feed"),
]
