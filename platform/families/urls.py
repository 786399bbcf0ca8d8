from django.urls import path

from families import views

app_name = "families"

urlpatterns = [
    path("", views.home, name="home"),
    path("gezin/<int:family_id>/", views.detail, name="detail"),
    path("gezin/<int:family_id>/uitnodigen/", views.invite, name="invite"),
    path("gezin/<int:family_id>/kind/", views.child_add, name="child_add"),
    path("gezin/<int:family_id>/kind/<int:child_id>/", views.child_edit, name="child_edit"),
    path("gezin/<int:family_id>/kind/<int:child_id>/verwijderen/", views.child_remove, name="child_remove"),
    path("gezin/<int:family_id>/leden/<int:membership_id>/rol/", views.membership_role,
         name="membership_role"),
    path("gezin/<int:family_id>/leden/<int:membership_id>/einde/", views.membership_end,
         name="membership_end"),
    path("gezin/<int:family_id>/uitnodigingen/<int:invitation_id>/intrekken/", views.invitation_revoke,
         name="invitation_revoke"),
    path("gezin/<int:family_id>/uitnodigingen/<int:invitation_id>/opnieuw/", views.invitation_resend,
         name="invitation_resend"),
    path("gezin/<int:family_id>/leden/<int:membership_id>/tweede-stap/", views.member_second_factor_reset,
         name="member_second_factor_reset"),
    path("gezin/<int:family_id>/toegang/", views.access_log, name="access_log"),
    path("uitnodiging/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
