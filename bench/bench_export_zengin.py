"""Benchmark the 全銀 総合振込 writer and reader (振込データ作成の速度); no database needed.

Generates N transfers (default 100,000; ``--transfers N``) in memory, not
timed, then times in the same run:

- ``write_zengin`` to a temporary file (field checks, encoding, writing), in seconds;
- the baseline: writing the very same bytes, already encoded, to a file in
  chunks of the same size (what the disk and the file API alone cost);
- ``read_zengin`` of the written file (parsing, checks, trailer totals).

Each timing is the best of ``--repeat`` runs (default 3). Prints one JSON line
with the ratio of the writer to the baseline. Exits non-zero if the file read
back differs from what was written.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cityhall.finance.zengin import Transfer, TransferHeader, read_zengin, write_zengin

KANA = "ｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓﾔﾕﾖﾗﾘﾙﾚﾛﾜﾝﾞﾟ"


def _transfers(n: int, rng: random.Random) -> list[Transfer]:
    def name(size: int) -> str:
        return "".join(rng.choice(KANA) for _ in range(rng.randint(3, size)))

    return [
        Transfer(
            bank_code=f"{rng.randint(1, 9999):04d}",
            bank_name=name(15),
            branch_code=f"{rng.randint(1, 999):03d}",
            branch_name=name(15),
            account_type=rng.choice("1249"),
            account_number=f"{rng.randint(0, 9_999_999):07d}",
            payee_name=rng.choice(["ｶ)", "", ""]) + name(26),
            amount=rng.randint(1, 5_000_000),
            new_code=rng.choice("012"),
            customer_code=f"{i:010d}",
            transfer_kind=rng.choice(["", "7"]),
            edi=False,
        )
        for i in range(n)
    ]


def _best(repeat: int, run: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--transfers", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rng = random.Random(20260401)
    header = TransferHeader(
        requester_code="1234567890",
        requester_name="ﾐﾄﾞﾘｼ ｶｲｹｲｶﾝﾘｼﾔ",
        transfer_date=dt.date(2026, 5, 8),
        bank_code="0001",
        bank_name="ﾐｽﾞﾎ",
        branch_code="001",
        branch_name="ﾄｳｷﾖｳ",
        account_type="1",
        account_number="0012345",
    )
    transfers = _transfers(args.transfers, rng)
    with tempfile.TemporaryDirectory(prefix="bench-zengin-") as tmp:
        path = Path(tmp) / "furikomi.txt"
        raw_path = Path(tmp) / "raw.txt"

        def write() -> None:
            with path.open("wb") as out:
                write_zengin(out, header, transfers, separator="crlf")
                out.flush()
                os.fsync(out.fileno())

        write()
        data = path.read_bytes()
        chunk = 2000 * 122
        pieces = [data[i : i + chunk] for i in range(0, len(data), chunk)]

        def write_raw() -> None:
            with raw_path.open("wb") as out:
                for piece in pieces:
                    out.write(piece)
                out.flush()
                os.fsync(out.fileno())

        def read() -> None:
            with path.open("rb") as source:
                read_zengin(source, year=2026)

        encode_s = _best(args.repeat, write)
        baseline_s = _best(args.repeat, write_raw)
        read_s = _best(args.repeat, read)
        with path.open("rb") as source:
            parsed = read_zengin(source, year=2026)
        exact = parsed.header == header and parsed.transfers == transfers
    result = {
        "bench": "export_zengin",
        "transfers": args.transfers,
        "bytes": len(data),
        "encode_seconds": round(encode_s, 4),
        "baseline_write_bytes_seconds": round(baseline_s, 4),
        "ratio": round(encode_s / baseline_s, 1) if baseline_s else None,
        "read_seconds": round(read_s, 4),
        "transfers_per_second_encode": round(args.transfers / encode_s),
        "transfers_per_second_read": round(args.transfers / read_s),
        "round_trip_exact": exact,
    }
    print(json.dumps(result, ensure_ascii=False))
    return 0 if exact else 1


if __name__ == "__main__":
    sys.exit(main())
