"""A management command starts without what it does not use (起動): the PDF and Excel libraries, the typed
documents' services, finance's other services.

``manage.py export_zengin`` and the other commands run from cron; fpdf, openpyxl and pyHanko took
a third of a second of every start when an app's services imported them at the top, and the typed
documents' services, imported by each app's ``ready()`` to register their hooks, another quarter.
They now load on first use (``documents.registry.register_lazily``, ``core.deferred``), with the
same hooks once loaded.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LIBRARIES = ("fpdf", "fontTools", "openpyxl", "pyhanko")
HOOK_MODULES = (
    "cityhall.documents.disposal",
    "cityhall.finance.services.payment_orders",
    "cityhall.finance.services.encumbrances",
    "cityhall.finance.services.encumbrance_changes",
    "cityhall.finance.services.movements",
    "cityhall.finance.services.carry_overs",
    "cityhall.inquiries.services.batches",
    "cityhall.inquiries.services.person_imports",
    "cityhall.telework.services.requests",
    "cityhall.telework.selectors.figures",
    "cityhall.telework.selectors.requests",
    "cityhall.automation.selectors",
)
START = f"""
import json, sys, django
django.setup()
loaded = lambda names: sorted(name for name in names if name in sys.modules)
after_setup = loaded({HOOK_MODULES!r})
from django.core.management import load_command_class
load_command_class("cityhall.finance", "export_zengin")
command = loaded({LIBRARIES!r} + ("cityhall.finance.services.payment_orders", "cityhall.finance.services.review"))
from cityhall.documents.registry import registered_types
types = {{entry.key: entry.label for entry in registered_types()}}
print(json.dumps({{"after_setup": after_setup, "command": command, "types": types}}))
"""


def test_a_command_starts_without_the_libraries_and_services_it_does_not_use(tmp_path):
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="cityhall.settings", CITYHALL_VAR_DIR=str(tmp_path))
    env.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-c", START], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=True
    )
    found = json.loads(done.stdout)
    assert found["after_setup"] == []
    assert found["command"] == []
    # Looked up, every type registered lazily is there with its hooks' module's label.
    assert found["types"] == {
        "documents.disposal_list": "廃棄・移管リスト",
        "finance.budget_transfer": "予算流用",
        "finance.carry_over": "繰越",
        "finance.encumbrance": "支出負担行為",
        "finance.encumbrance_change": "変更契約",
        "finance.payment_order": "支出命令",
        "finance.reserve_use": "予備費充用",
        "inquiries.batch": "預貯金等照会",
        "telework.request": "テレワーク申請",
    }
