"""The site's URLs plus one view that fails, to see what the demo shows for an unexpected error."""

from django.urls import path

from config.urls import urlpatterns as site_urlpatterns


def fails(request):
    raise RuntimeError("an unexpected error, on purpose")


# Named like /healthz, which is open to anyone (accounts.middleware.PUBLIC_URL_NAMES), so that an
# anonymous request gets past the login check to the view.
urlpatterns = [path("stuk/", fails, name="healthz"), *site_urlpatterns]
