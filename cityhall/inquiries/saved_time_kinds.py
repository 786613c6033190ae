"""The inquiries' kinds in the ledger of hours saved (``cityhall.savings``) and their names.

``InquiriesConfig.ready`` names them in the ledger and the services record them; this module imports
nothing of the app, so that start-up need not import the services to name the kinds.
"""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

SAVINGS_KIND = "inquiries.persons"  # a list of delinquent persons imported
KIND_LETTER = "inquiries.letter"  # an inquiry letter made
KIND_ROW = "inquiries.row"  # a person's row in the letters

LABELS: dict[str, str | Promise] = {
    SAVINGS_KIND: _("滞納者一覧の取込"),
    KIND_LETTER: _("照会書（財産照会）"),
    KIND_ROW: _("照会対象者の行（財産照会）"),
}
