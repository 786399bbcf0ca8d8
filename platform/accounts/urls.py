from django.urls import path

from accounts import views

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
    path("account/backup-codes/", views.backup_codes_view, name="backup_codes"),
    path("account/authenticator/", views.replace_authenticator_view, name="replace_authenticator"),
    path("account/password/", views.password_change_view, name="password_change"),
    path("logout/", views.logout_view, name="logout"),
    path("language/", views.language_view, name="language"),
]
