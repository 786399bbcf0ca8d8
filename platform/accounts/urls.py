from django.urls import path

from accounts import settings_views, views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/code/", views.verify_view, name="verify"),
    path("login/forgot/", views.PasswordResetView.as_view(), name="password_reset"),
    path("login/forgot/sent/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("login/reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("account/authenticator/setup/", views.enrol_view, name="enrol"),
    path("account/authenticator/setup/email/", views.enrol_email_view, name="enrol_email"),
    path("account/", views.security_view, name="security"),
    path("account/sign-out/", views.sign_out_view, name="sign_out"),
    path("account/sign-out/everywhere/", views.sign_out_everywhere_view, name="sign_out_everywhere"),
    path("account/backup-codes/", views.backup_codes_view, name="backup_codes"),
    path("account/authenticator/", views.replace_authenticator_view, name="replace_authenticator"),
    path("account/password/", views.password_change_view, name="password_change"),
    path("logout/", views.logout_view, name="logout"),
    path("language/", views.language_view, name="language"),
]

# The settings a user keeps for themselves (accounts.settings_views).
urlpatterns += [
    path("account/name/", settings_views.name_change_view, name="name_change"),
    path("account/email/", settings_views.email_change_view, name="email_change"),
    path("account/email/cancel/", settings_views.email_change_cancel_view, name="email_change_cancel"),
    path("account/email/confirm/<str:token>/", settings_views.email_confirm_view, name="email_confirm"),
    path("account/notices/", settings_views.notices_view, name="notices"),
    path("account/data/", settings_views.personal_data_view, name="personal_data"),
    path("privacy/", settings_views.privacy_view, name="privacy"),
]
