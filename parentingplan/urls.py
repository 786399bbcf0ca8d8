from django.urls import path

from parentingplan import views

app_name = "parentingplan"

urlpatterns = [
    path("gezin/<int:family_id>/plan/", views.plan_view, name="plan"),
    path("gezin/<int:family_id>/plan/onderdeel/", views.section_add, name="section_add"),
    path("gezin/<int:family_id>/plan/kind/", views.child_wish_add, name="child_wish_add"),
    path("gezin/<int:family_id>/plan/gegevens/", views.parties_view, name="parties"),
    path("gezin/<int:family_id>/plan/goedkeuren/", views.plan_approve, name="approve"),
    path("gezin/<int:family_id>/plan/versie/<int:number>/", views.version_view, name="version"),
    path("gezin/<int:family_id>/plan/versie/<int:number>/pdf", views.version_pdf, name="version_pdf"),
    path("plan/onderdeel/<int:section_id>/geschiedenis/", views.section_history, name="history"),
    path("plan/onderdeel/<int:section_id>/terugzetten/", views.section_restore, name="restore"),
    path("plan/onderdeel/<int:section_id>/beheer/", views.section_edit, name="section_edit"),
    path("plan/<str:kind>/<int:item_id>/besluit/", views.words_decide, name="words_decide"),
]
