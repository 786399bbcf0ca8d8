from django.urls import path

from trajectories import evaluation_views, records_views, report_views, views

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
    # The trajectory's records (issue 12).
    path(
        "gezin/<int:family_id>/traject/<int:trajectory_id>/toestemming/",
        records_views.consent_decide,
        name="consent",
    ),
    path(
        "gezin/<int:family_id>/traject/<int:trajectory_id>/toestemming/kind/",
        records_views.child_consent,
        name="child_consent",
    ),
    path(
        "gezin/<int:family_id>/traject/<int:trajectory_id>/toestemming.pdf",
        records_views.consent_pdf,
        name="consent_pdf",
    ),
    # Working goals, the agreement and the code of conduct (issue 12, item 1).
    path(
        "gezin/<int:family_id>/traject/<int:trajectory_id>/doelen/", records_views.goal_add, name="goal_add"
    ),
    path("gezin/<int:family_id>/traject/doel/<int:goal_id>/", records_views.goal_update, name="goal_update"),
    path(
        "gezin/<int:family_id>/traject/<int:trajectory_id>/akkoord/",
        records_views.agreement_confirm,
        name="agreement_confirm",
    ),
    path("gezin/<int:family_id>/gedragscode/ontvangen/", records_views.code_receipt, name="code_receipt"),
    path("gedragscode.pdf", records_views.code_download, name="code_download"),
    path("gedragscode/nieuw/", records_views.code_upload, name="code_upload"),
    # Evaluations (issue 12, item 3).
    path(
        "gezin/<int:family_id>/traject/evaluatie/<int:talk_id>/",
        evaluation_views.evaluation,
        name="evaluation",
    ),
    path(
        "gezin/<int:family_id>/traject/evaluatie/<int:talk_id>/inbreng/",
        evaluation_views.evaluation_input,
        name="evaluation_input",
    ),
    # Reports (issue 12, item 5).
    path(
        "gezin/<int:family_id>/traject/<int:trajectory_id>/rapport/",
        report_views.report_new,
        name="report_new",
    ),
    path(
        "gezin/<int:family_id>/traject/<int:trajectory_id>/geen-rapport/",
        report_views.report_waive,
        name="report_waive",
    ),
    path("gezin/<int:family_id>/traject/rapport/<int:report_id>/", report_views.report_page, name="report"),
    path(
        "gezin/<int:family_id>/traject/rapport/<int:report_id>/bewerken/",
        report_views.report_edit,
        name="report_edit",
    ),
    path(
        "gezin/<int:family_id>/traject/rapport/<int:report_id>/delen/",
        report_views.report_share,
        name="report_share",
    ),
    path(
        "gezin/<int:family_id>/traject/rapport/<int:report_id>/reactie/",
        report_views.report_respond,
        name="report_respond",
    ),
    path(
        "gezin/<int:family_id>/traject/rapport/<int:report_id>/rapport.pdf",
        report_views.report_pdf,
        name="report_pdf",
    ),
    # Fixed: the confidential dossier.
    path("gezin/<int:family_id>/dossier/", records_views.dossier_page, name="dossier"),
    path("agenda/", views.calendar_link, name="calendar"),
    path("agenda/<str:token>.ics", views.feed, name="feed"),
]
