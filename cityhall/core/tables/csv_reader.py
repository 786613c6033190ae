"""CSV files as other systems and suppliers export them (CSVファイルの読み取り), into a ``Table``.

This reader is our own: a general table library would guess what we must not guess (column
types, a lenient encoding, a broken row silently skipped or shifted), and what we need is the
standard ``csv`` module plus the rules below. ``csv_table(data, …)`` gives the file's rows; a file
that cannot be read at all raises ``TableRejected``:

* empty, over 5 MB (``MAX_BYTES``, checked before anything else) or over 50,000 data rows;
* plainly not CSV: an Excel, ZIP or PDF file, UTF-16/UTF-32 text (Excel's 「Unicode テキスト」),
  NUL bytes;
* an encoding we cannot tell (see ``decode``), or several encodings mixed in one file;
* the header row missing, or unreadable.

Encoding (``decode``): a UTF-8 BOM means UTF-8 (``utf-8-sig``), and a byte that is not UTF-8
after it refuses the file as mixed; otherwise strict UTF-8; otherwise Shift_JIS as Windows writes
it (``cp932``, which adds NEC and IBM characters such as ① and 髙 to Shift_JIS; the single bytes
0x80, 0xA0 and 0xFD–0xFF, which Python's cp932 maps to placeholders, are refused). Before choosing
cp932, each line holding non-ASCII bytes is tried as UTF-8: a line that reads as Japanese in
UTF-8, in a file that is not UTF-8 as a whole, means the file mixes encodings (a UTF-8 export
pasted under a Shift_JIS one) and it is refused, naming the line and the first byte that is not
UTF-8 (1-based offset). A Shift_JIS line is rarely valid UTF-8 at all (its kana and most kanji
start with bytes UTF-8 only allows inside a character), but a few are: 「莉子」 in Shift_JIS is
「从q」 in UTF-8. So a line valid in both counts as UTF-8 only when more of its non-ASCII
characters are common Japanese (kana, JIS level-1 kanji) read as UTF-8 than read as Shift_JIS:
「从」 is not, 「莉子」 is; on this repository's Japanese texts (10,000 lines, 6,000 words, in
full- and half-width kana) that rule mistook no line either way. Every refusal names the byte
offset and the line.

Rows: the records are split by the ``csv`` module in strict mode, so a quote in the wrong place
is an error, not a guess. A broken record does not stop the file: it becomes a row with a
problem (the importing app refuses that row, naming it) and reading starts again on the next
line, so an unclosed quote does not swallow the rows after it. A row is broken when its quotes
are wrong or when its number of columns differs from the header's (exactly: an unquoted
「1,200」 adds a column, see ``_fits``); a record spanning several lines is accepted only when it
has the right number of columns. Row numbers in messages are the file's line numbers. Blank rows and the
rows above the header row are skipped.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from itertools import islice

from cityhall.core.tables.errors import TableRejected
from cityhall.core.tables.table import MAX_ROWS, SourceRow, Table, check_size, is_blank, too_many_rows

__all__ = ["csv_table", "decode", "first_rows"]

_WHAT = "CSVファイル"
_UTF8_BOM = b"\xef\xbb\xbf"
_RESAVE = "UTF-8かShift_JISのCSVで保存し直してください。"
_NOT_CSV = {
    b"PK\x03\x04": "Excel（.xlsx）またはZIPのファイルです。Excelのファイルとして取り込んでください。",
    b"\xd0\xcf\x11\xe0": "Excel 97-2003（.xls）などのファイルです。CSV（カンマ区切り）で保存し直してください。",
    b"%PDF": "PDFファイルです。CSVファイルを指定してください。",
    b"\x00\x00\xfe\xff": f"UTF-32で保存されたテキストです。{_RESAVE}",
    b"\xff\xfe\x00\x00": f"UTF-32で保存されたテキストです。{_RESAVE}",
    b"\xfe\xff": f"UTF-16（「Unicode テキスト」）で保存されたテキストです。{_RESAVE}",
    b"\xff\xfe": f"UTF-16（「Unicode テキスト」）で保存されたテキストです。{_RESAVE}",
}
# Single bytes Python's cp932 decodes although Shift_JIS has no character there (0x80, 0xA0, 0xFD–0xFF).
_NOT_SHIFT_JIS = re.compile("[\x80\uf8f0-\uf8f3]")
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")
_KANA = re.compile(r"[\u3041-\u30fe]")
_LEVEL_ONE = (0x889F, 0x9872)  # JIS level-1 kanji (第1水準) in Shift_JIS
_CSV_ERRORS = {
    "unexpected end of data": '引用符（"）が閉じられないままファイルが終わっています',
    "expected after": '引用符（"）で囲んだ値の後に区切りのカンマがありません',
    "field larger than field limit": "値が長すぎます",
}


def csv_table(data: bytes, *, header_row: int = 1, what: str = _WHAT) -> Table:
    """The rows of a CSV file and the encoding they were read in; ``TableRejected`` when it cannot be read.

    ``header_row`` is the 1-based row of the header (rows above it, such as a title, are skipped;
    0 for a file without one); ``what`` names the file in messages (「CSVファイル」).
    """
    check_size(data, what)
    _check_kind(data)
    text, encoding = decode(data)
    return _table(text, header_row, what, encoding)


def first_rows(data: bytes, count: int) -> list[list[str]]:
    """The cells of the file's first ``count`` records, read leniently (a preview, or whose file it is).

    The file is checked and decoded as ``csv_table`` does (``TableRejected`` for the same reasons).
    """
    check_size(data, _WHAT)
    _check_kind(data)
    text, _encoding = decode(data)
    try:
        return list(islice(csv.reader(m.group() for m in _LINE.finditer(text)), count))
    except csv.Error as exc:
        raise TableRejected("file", f"CSVの最初の行を列に分けられません（{_csv_message(exc)}）。") from None


def _check_kind(data: bytes) -> None:
    for magic, message in _NOT_CSV.items():
        if data.startswith(magic):
            raise TableRejected("file", f"CSVファイルではありません: {message}")
    nul = data.find(b"\x00")
    if nul >= 0:
        raise TableRejected(
            "file",
            f"CSVファイルではありません: {_at(data, nul)}にNULバイトがあります（UTF-16で保存されたテキストか、"
            "テキストではないファイルです）。",
        )


def decode(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and the encoding it was read with; ``TableRejected`` naming the byte otherwise."""
    if data.startswith(_UTF8_BOM):
        try:
            return data[len(_UTF8_BOM) :].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise TableRejected(
                "encoding",
                f"UTF-8（BOM付き）のファイルですが、{_at(data, exc.start + len(_UTF8_BOM))}がUTF-8として読めません。"
                "Shift_JISなど別の文字コードの部分が混じったファイルは取り込めません。",
            ) from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        not_utf8 = exc.start
    utf8_line = _utf8_japanese_line(data)
    if utf8_line is not None:
        raise TableRejected(
            "encoding",
            f"文字コードが混在しています: {utf8_line}行目はUTF-8ですが、{_at(data, not_utf8)}はUTF-8として読めません"
            "（Shift_JISなど）。1つの文字コードで保存し直してください。",
        )
    try:
        text = data.decode("cp932")
    except UnicodeDecodeError as exc:
        not_sjis = exc.start
    else:
        stray = _NOT_SHIFT_JIS.search(text)
        if stray is None:
            return text, "cp932"
        not_sjis = len(text[: stray.start()].encode("cp932"))
    raise TableRejected(
        "encoding",
        f"文字コードを判別できません: UTF-8としては{_at(data, not_utf8)}が、Shift_JIS（cp932）としては"
        f"{_at(data, not_sjis)}が読めません。UTF-8かShift_JISで保存し直してください。",
    )


def _at(data: bytes, offset: int) -> str:
    """「1,235バイト目（12行目、0x82）」: where a byte is, 1-based, as a message names it."""
    line = data.count(b"\n", 0, offset) + 1
    return f"{offset + 1:,}バイト目（{line}行目、0x{data[offset]:02X}）"


def _utf8_japanese_line(data: bytes) -> int | None:
    """The first line (1-based) that reads as Japanese in UTF-8 better than in Shift_JIS, or None."""
    for number, line in enumerate(data.split(b"\n"), start=1):
        if line.isascii():
            continue
        try:
            as_utf8 = line.decode("utf-8")
        except UnicodeDecodeError:
            continue
        try:
            as_sjis = line.decode("cp932")
        except UnicodeDecodeError:
            as_sjis = ""
        share = _common_japanese(as_utf8)
        if share > 0 and share > _common_japanese(as_sjis):
            return number
    return None


def _common_japanese(text: str) -> float:
    """The share of ``text``'s non-ASCII characters that are kana or JIS level-1 kanji (the common ones)."""
    wide = [char for char in text if not char.isascii()]
    if not wide:
        return 0.0
    return sum(1 for char in wide if _KANA.match(char) or _level_one(char)) / len(wide)


def _level_one(char: str) -> bool:
    try:
        code = int.from_bytes(char.encode("cp932"), "big")
    except UnicodeEncodeError:
        return False
    return _LEVEL_ONE[0] <= code <= _LEVEL_ONE[1]


@dataclass(frozen=True)
class _Record:
    line: int
    fields: list[str]
    problem: str | None = None


class _Records:
    """The file's records, read with a strict ``csv.reader`` that starts again after a broken one."""

    def __init__(self, text: str) -> None:
        self.lines: list[str] = _LINE.findall(text)
        self._start_at(0)

    def _start_at(self, index: int) -> None:
        self.base = index
        self.reader = csv.reader((self.lines[i] for i in range(index, len(self.lines))), strict=True)

    def next(self, width: int | None) -> _Record | None:
        """The next record; ``width`` is the header's number of columns (None before the header)."""
        start = self.base + self.reader.line_num
        try:
            fields = next(self.reader)
        except StopIteration:
            return None
        except csv.Error as exc:
            self._start_at(start + 1)
            return _Record(start + 1, self._alone(start), f"列に分けられません（{_csv_message(exc)}）。")
        end = self.base + self.reader.line_num
        if end - start > 1 and width is not None and not _fits(fields, width):
            self._start_at(start + 1)
            return _Record(
                start + 1,
                self._alone(start),
                f'引用符（"）が閉じられていないため、{start + 1}行目から{end}行目までが1つの行として読まれました。',
            )
        return _Record(start + 1, fields)

    def _alone(self, index: int) -> list[str]:
        """The cells of one line read on its own, leniently: enough to tell whose row it is."""
        try:
            return next(csv.reader([self.lines[index]]), [])
        except csv.Error:
            return []


def _csv_message(exc: csv.Error) -> str:
    text = str(exc)
    for english, japanese in _CSV_ERRORS.items():
        if english in text:
            return japanese
    return '引用符（"）の使い方が正しくありません'


def _fits(fields: list[str], width: int) -> bool:
    """Whether a record has exactly the header's number of columns.

    Not "at least": an amount written 1,200 without quotes adds a column, and when the row's last
    cell is empty the extra column would look like a harmless empty one while every cell after the
    amount has moved (the amount read as 1).
    """
    return len(fields) == width


def _table(text: str, header_row: int, what: str, encoding: str) -> Table:
    header: tuple[str, ...] | None = None
    width: int | None = None
    rows: list[SourceRow] = []
    records = _Records(text)
    while (record := records.next(width)) is not None:
        if record.line < header_row:
            continue
        if header_row and header is None:
            header = _header(record, header_row)
            width = len(record.fields)
            continue
        if record.problem is None and all(is_blank(value) for value in record.fields):
            continue
        if width is None:  # no header row: the first data row says how many columns there are
            width = len(record.fields)
        problem = record.problem
        if problem is None and not _fits(record.fields, width):
            against = "見出し行" if header is not None else "最初の行"
            problem = (
                f"列の数が{against}と違います（{width}列のはずが{len(record.fields)}列です）。"
                '値の中のカンマ（,）が引用符（"）で囲まれていないかもしれません。'
            )
        rows.append(SourceRow(record.line, tuple(record.fields), problem))
        if len(rows) > MAX_ROWS:
            raise too_many_rows(what)
    if header_row and header is None:
        raise TableRejected("header_row", f"見出し行（{header_row}行目）がありません。")
    if not rows:
        raise TableRejected("file", f"{what}にデータ行がありません。")
    return Table("csv", header, header_row, tuple(rows), encoding=encoding)


def _header(record: _Record, header_row: int) -> tuple[str, ...]:
    if record.line != header_row or record.problem is not None:
        raise TableRejected(
            "header_row",
            f"見出し行（{header_row}行目）を列に分けられません"
            f"{'（' + record.problem.rstrip('。') + '）' if record.problem else ''}。",
        )
    return tuple(record.fields)
