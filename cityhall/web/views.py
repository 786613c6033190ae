"""Views of the application shell (画面共通部分): the home dashboard."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class ModuleCard:
    """A business module on the home page (業務メニュー); no ``url_name`` means 準備中."""

    title: str | Promise
    description: str | Promise
    url_name: str = ""


_MODULES = (
    ModuleCard(_("文書管理・電子決裁"), _("起案、回議・合議、決裁、施行、文書の保存と検索。"), "documents:inbox"),
    ModuleCard(_("財務会計"), _("予算の配当、支出負担行為、支出命令、審査、総合振込。")),
    ModuleCard(_("財産照会"), _("預貯金等照会の作成、一括送付、回答の管理。")),
    ModuleCard(_("テレワーク"), _("業務棚卸し、実施の申請と承認。")),
)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The signed-in official's home page (ホーム)."""
    modules = list(_MODULES)
    if request.user.is_staff:
        modules.append(ModuleCard(_("管理サイト"), _("組織、職員、発令、権限の管理。"), "admin:index"))
    cards = [(module, reverse(module.url_name) if module.url_name else "") for module in modules]
    context = {"today": timezone.localdate(), "modules": cards}
    return render(request, "web/home.html", context)
