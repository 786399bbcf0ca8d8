from django.shortcuts import render


def csrf_failure(request, reason=""):
    """A form that stayed open too long (or a cookie that went missing): say so kindly."""
    return render(request, "403_csrf.html", status=403)
