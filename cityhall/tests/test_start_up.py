"""A management command starts without the PDF and Excel libraries (起動): they load when a file is made.

``manage.py export_zengin`` and the other commands run from cron; fpdf, openpyxl and pyHanko took
a third of a second of every start when an app's services imported them at the top.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LIBRARIES = ("fpdf", "fontTools", "openpyxl", "pyhanko")
START = f"""
import sys, django
django.setup()
from django.core.management import load_command_class
load_command_class("cityhall.finance", "export_zengin")
print(sorted(name for name in {LIBRARIES!r} if name in sys.modules))
"""


def test_a_command_starts_without_the_pdf_and_excel_libraries(tmp_path):
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="cityhall.settings", CITYHALL_VAR_DIR=str(tmp_path))
    env.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-c", START], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "[]"
