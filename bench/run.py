"""Run every benchmark in bench/ and print their figures as one JSON document.

Each ``bench/bench_*.py`` is a script run in its own process (so its peak
memory is its own). It measures its subject and, in the same run, a baseline,
and prints one JSON object as the last line of its standard output.
``python bench/run.py [name ...]`` runs only the named ones.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent


def run_one(script: Path) -> dict[str, object]:
    env = dict(os.environ, PYTHONPATH=str(BENCH_DIR.parent), DJANGO_SETTINGS_MODULE="cityhall.settings")
    completed = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, check=False)
    lines = [line for line in completed.stdout.splitlines() if line.strip()]
    if completed.returncode != 0 or not lines:
        return {"bench": script.stem, "error": completed.stderr.strip()[-2000:], "exit": completed.returncode}
    result: dict[str, object] = json.loads(lines[-1])
    return result


def main(names: list[str]) -> int:
    scripts = sorted(BENCH_DIR.glob("bench_*.py"))
    if names:
        scripts = [s for s in scripts if s.stem.removeprefix("bench_") in names or s.stem in names]
    results = []
    for script in scripts:
        print(f"running {script.stem} ...", file=sys.stderr, flush=True)
        results.append(run_one(script))
        print(json.dumps(results[-1], ensure_ascii=False), file=sys.stderr, flush=True)
    print(json.dumps(results, ensure_ascii=False, indent=2))
    return 1 if any("error" in r for r in results) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
