from django.contrib import admin
from django.http import HttpResponse, JsonResponse
from django.templatetags.static import static
from django.urls import include, path
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control


@cache_control(max_age=3600, public=True)
def manifest(request):
    return JsonResponse(
        {
            "name": "Kompas – samen ouderschap",
            "short_name": "Kompas",
            "description": _("Veilig contact en een gezamenlijk ouderschapsplan"),
            "lang": "nl",
            "start_url": "/",
            "scope": "/",
            "display": "standalone",
            "background_color": "#f7f5f0",
            "theme_color": "#1f5f5b",
            "icons": [
                {"src": static("icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
                {"src": static("icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
                {"src": static("icons/icon-maskable-512.png"), "sizes": "512x512", "type": "image/png",
                 "purpose": "maskable"},
            ],
        },
        content_type="application/manifest+json",
    )


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


admin.site.site_header = "Kompas – beheer"

urlpatterns = [
    path("manifest.webmanifest", manifest, name="manifest"),
    path("healthz", healthz, name="healthz"),
    path("beheer/", admin.site.urls),
    path("", include("accounts.urls")),
    path("", include("families.urls")),
    path("", include("messaging.urls")),
    path("", include("parentingplan.urls")),
    path("", include("moderation.urls")),
    path("", include("trajectories.urls")),
]
