"""The kind of decision (決裁区分) in the language of the page: ``{% load decisions %}{{ label|decision }}``.

A delegation rule's label is the city's own text (「課長専決」「市長決裁」), kept as entered. In
English the common ones read 「Decided by section chief (課長専決)」: the deciding post of the label
is named in English and the label follows in parentheses; a label of another shape is shown as it is.
"""

from __future__ import annotations

from django import template
from django.utils import translation
from django.utils.translation import pgettext, pgettext_lazy

register = template.Library()

# Longest first: 「副市長」 before 「市長」, 「課長補佐」 before 「課長」.
_DECIDERS = {
    "副市長": pgettext_lazy("decider", "副市長"),
    "市長": pgettext_lazy("decider", "市長"),
    "部長": pgettext_lazy("decider", "部長"),
    "課長補佐": pgettext_lazy("decider", "課長補佐"),
    "課長": pgettext_lazy("decider", "課長"),
    "係長": pgettext_lazy("decider", "係長"),
}
_KINDS = ("専決", "決裁")


@register.filter
def decision(label: object) -> object:
    """「課長専決」 as it is in Japanese; 「Decided by section chief (課長専決)」 in English."""
    if not isinstance(label, str) or (translation.get_language() or "ja").split("-")[0] != "en":
        return label
    kind = next((k for k in _KINDS if label.endswith(k)), None)
    post = label.removesuffix(kind) if kind else ""
    decider = _DECIDERS.get(post)
    if decider is None:
        return label
    return pgettext("decision", "決裁者: %(decider)s（%(label)s）") % {"decider": decider, "label": label}
