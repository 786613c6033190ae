"""Imports of the tax system's list as a tax collector finds them (滞納者一覧の取込): their sections only."""

from __future__ import annotations

from django.db.models import QuerySet

from cityhall.core.errors import PermissionDenied, ValidationFailed
from cityhall.core.tables import Layout
from cityhall.inquiries.access import NOT_FOUND, Scope, scope_of
from cityhall.inquiries.models import PersonImport, PersonImportLayout
from cityhall.org.models import OrgUnit


def import_section(scope: Scope, section: OrgUnit | None) -> OrgUnit:
    """The section imported into: the one given (one of the scope's), or the scope's only one."""
    if section is None:
        if len(scope.section_ids) != 1:
            raise ValidationFailed("担当課を選んでください。", field="section")
        return OrgUnit.objects.get(pk=scope.section_ids[0])
    if section.pk not in scope.section_ids:
        raise PermissionDenied(NOT_FOUND)
    return section


def layout_of(section: OrgUnit) -> Layout:
    """The section's column layout as kept (checked when stored), or the default one; after ``import_section``."""
    found = PersonImportLayout.objects.filter(section=section).values_list("layout", flat=True).first()
    return Layout(dict(found["columns"]), found["header_row"], found["sheet"]) if found else Layout()


def import_sections(user: object) -> list[OrgUnit]:
    """The sections the user may import into (their 徴税 sections), by code."""
    return list(OrgUnit.objects.filter(pk__in=scope_of(user).section_ids).order_by("code", "pk"))


def import_layout(user: object, section: OrgUnit | None = None) -> tuple[OrgUnit, Layout]:
    """The section's column layout (列の設定; the default one if none is kept) and the section it is for."""
    chosen = import_section(scope_of(user), section)
    return chosen, layout_of(chosen)


def person_imports_for(user: object) -> QuerySet[PersonImport]:
    """The imports of the user's sections, newest first."""
    return PersonImport.objects.filter(section_id__in=scope_of(user).section_ids).select_related("created_by")


def person_import_for(user: object, pk: int) -> PersonImport:
    """One import of the user's sections; 「not found」 otherwise."""
    found = person_imports_for(user).select_related("section").filter(pk=pk).first()
    if found is None:
        raise PermissionDenied(NOT_FOUND)
    return found
