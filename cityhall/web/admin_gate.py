"""The admin site's door (管理サイトの入口): staff sign in through our login; everyone else is told plainly.

The admin sends a visitor without staff rights to ``/admin/login/``. A visitor
not signed in goes on to our own login (lock-out, second factor, audit); a
signed-in official without staff rights gets a 403 page saying that the admin
site is for IT, with links to the screens they do have (e.g. 監査室) instead of
a login form that suggests their sign-in failed.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from cityhall.web import menus


def admin_login(request: HttpRequest) -> HttpResponse:
    """Our login for visitors not signed in; a 403 page for signed-in officials without staff rights."""
    if not request.user.is_authenticated:
        query = request.META.get("QUERY_STRING", "")
        return redirect(reverse("accounts:login") + (f"?{query}" if query else ""))
    if request.user.is_staff:
        return redirect("admin:index")
    links = [(entry.label, reverse(entry.url_name)) for entry in menus.entries() if entry.visible(request.user)]
    return render(request, "web/admin_forbidden.html", {"links": links}, status=403)
