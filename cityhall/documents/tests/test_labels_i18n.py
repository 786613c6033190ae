"""The labels of states and kinds follow the user's language (日本語 first, English by gettext).

The same Japanese word is a status in one place and an action in another (差戻し: "Sent back" as a
state, "Send back" on a button); the choices carry a context so each reads right in English.
"""

from __future__ import annotations

from django.utils import translation

from cityhall.documents.models import Disposition, DocumentStatus, StepKind, StepState
from cityhall.documents.models.disposal import DisposalOutcome
from cityhall.documents.models.register import ExpiryAction, Medium
from cityhall.org.models import Role, UnitKind

CHOICES = (DocumentStatus, StepKind, StepState, Disposition, DisposalOutcome, ExpiryAction, Medium, UnitKind, Role)


def test_every_label_is_japanese_by_default_and_english_when_asked():
    for choices in CHOICES:
        for member in choices:
            japanese = str(member.label)
            with translation.override("en"):
                english = str(member.label)
            assert any(ord(ch) > 0x3000 for ch in japanese), (choices.__name__, japanese)
            assert english.isascii() and english != japanese, (choices.__name__, japanese, english)


def test_a_state_reads_as_a_state_not_as_the_action():
    with translation.override("en"):
        assert str(DocumentStatus.SENT_BACK.label) == "Sent back"
        assert str(StepState.SENT_BACK.label) == "Sent back"
        assert str(DocumentStatus.WITHDRAWN.label) == "Withdrawn"
        assert str(Role.TREASURER.label) == "Accounting manager"
        assert translation.gettext("差戻し") == "Send back"  # the button keeps its verb
