"""Database-specific halves of the n-gram index (検索索引の DB 別実装).

Both backends answer the same question exactly: which entries' normalised
text contains every query term. See :mod:`cityhall.search` for why each one is
built the way it is.

SQLite
    A contentless FTS5 table ``search_fts(uni, bi, tri)`` with the ``ascii``
    tokenizer, rowid = ``search_entry.id``. Every character is written as eight
    lower-case hex digits, so each token is plain ASCII that the tokenizer keeps
    whole (``unicode61`` would split at punctuation and fold characters).
    ``bi`` holds the 2-grams in text order (one token per position; a 2-gram
    with a space becomes the gap token ``0`` so positions never close up across
    a space or a field boundary); ``tri`` the 3-grams of each space-free
    segment, a gap token between segments; ``uni`` holds the distinct
    characters. A term of one character is ``uni : "x"``, of two
    ``bi : "ab"``; a longer one is the phrase of its 3-grams
    ``tri : "abc bcd"``, whose consecutive positions make it exact.

PostgreSQL
    A table ``search_pg_grams(entry_id, grams integer[])`` holding 32-bit codes
    of the distinct 1-, 2- and 3-grams of the entry's text (made here in Python:
    text grams computed by an SQL function cost ~5 ms a row, and a text[]
    of them is TOASTed, so every row the planner filters is decompressed),
    with a GIN index. The table's ``toast_tuple_target`` keeps arrays of up to
    a page (~2,000 codes) in the row, uncompressed (migration 0002). A term of one or two characters is exact through
    ``grams @> ARRAY[...]``; a longer one (its 3-gram codes, hashed), or one
    with a character outside the BMP, also needs ``strpos(text, term) > 0`` on
    the candidates. When every gram of the query is common (PostgreSQL's own
    column statistics say so) and the caller needs few hits, the entries are
    walked newest first with ``strpos`` alone instead, which fills a page
    after a few hundred rows. No tsvector: its positions stop at 16,383 and
    keep at most 256 per lexeme, which would lose matches in long attachment
    texts and repeated characters.
"""

from __future__ import annotations

import sys
import time
from array import array
from itertools import pairwise
from typing import Any, NamedTuple, Protocol

from django.db import connection
from django.db.backends.utils import CursorWrapper

FTS_TABLE = "search_fts"
ENTRY_TABLE = "search_entry"
# The DDL is in migrations/0001_initial.py.
_INSERT_SQL = "INSERT INTO search_fts(rowid, uni, bi, tri) VALUES (%s, %s, %s, %s)"
# Entries whose n-grams are built and sent at once by ``add_many``: a long text's n-grams are some forty
# times its size (a payment order listing two hundred invoices: 170 KB); a thousand at once held 45 MB.
_ADD_BATCH = 10
_PG_INSERT_SQL = "INSERT INTO search_pg_grams(entry_id, grams) VALUES (%s, %s)"
_DELETE_SQL = "INSERT INTO search_fts(search_fts, rowid, uni, bi, tri) VALUES ('delete', %s, %s, %s, %s)"


class Match(NamedTuple):
    """SQL pieces selecting the matching rows of ``search_entry AS e``."""

    from_clause: str
    where: str
    params: list[Any]
    #: The column to sort by for "most recently first indexed first".
    order: str


class Backend(Protocol):
    """What the services and selectors need from a database."""

    def add(self, cursor: CursorWrapper, entry_id: int, text: str) -> None: ...

    def add_many(self, cursor: CursorWrapper, rows: list[tuple[int, str]]) -> None: ...

    def remove(self, cursor: CursorWrapper, entry_id: int, text: str) -> None: ...

    def remove_many(self, cursor: CursorWrapper, rows: list[tuple[int, str]]) -> None: ...

    def clear(self, cursor: CursorWrapper) -> None:
        """Forget every entry (the ``search_entry`` rows stay, for a rebuild)."""
        ...

    def match(self, terms: list[str], wanted: int | None = None) -> Match:
        """The SQL selecting entries whose text contains every one of ``terms``.

        ``wanted``: how many hits the caller reads at most (None: all), for the choice of plan.
        """
        ...


# --- SQLite -----------------------------------------------------------------

_GAP = "0"


def _hex(text: str) -> str:
    """Eight hex digits per character (UTF-32 code unit), one C call for the whole string."""
    return text.encode("utf-32-be").hex()


def _segment_bigrams(segment: str) -> str:
    codes = _hex(segment)
    return " ".join([codes[i : i + 16] for i in range(0, len(codes) - 8, 8)])


def _segment_trigrams(segment: str) -> str:
    codes = _hex(segment)
    return " ".join([codes[i : i + 24] for i in range(0, len(codes) - 16, 8)])


def fts_columns(text: str) -> tuple[str, str, str]:
    """The ``uni``, ``bi`` and ``tri`` column values FTS5 receives for normalised ``text``.

    ``uni``: each distinct character once, in order of first occurrence (the
    order must be the same every time: a contentless FTS5 table deletes by
    position). ``bi``: one token per character position; the two positions
    around each space are gap tokens. ``tri``: the 3-grams of each
    space-free segment in order, one gap token between segments.
    """
    chars = _hex("".join(dict.fromkeys(text.replace(" ", ""))))
    uni = " ".join([chars[i : i + 8] for i in range(0, len(chars), 8)])
    segments = text.split(" ") if text else []
    bi = f" {_GAP} {_GAP} ".join(_segment_bigrams(segment) for segment in segments)
    tri = f" {_GAP} ".join(_segment_trigrams(segment) for segment in segments)
    return uni, " ".join(bi.split()), " ".join(tri.split())


def fts_query(terms: list[str]) -> str:
    """The FTS5 MATCH expression for normalised, space-free ``terms`` (all must occur).

    One character: ``uni``; two: the 2-gram in ``bi``; three or more: the
    phrase of the term's 3-grams in ``tri`` (consecutive positions make it
    exact). 3-grams rather than 2-grams because a phrase of common 2-grams
    that occurs nowhere (清瀬市総務課長) made FTS5 check the positions in every
    item holding all of them; one of its 3-grams is nearly always rare.
    """
    parts = []
    for term in terms:
        if len(term) == 1:
            parts.append(f'uni : "{_hex(term)}"')
        elif len(term) == 2:
            parts.append(f'bi : "{_segment_bigrams(term)}"')
        else:
            parts.append(f'tri : "{_segment_trigrams(term)}"')
    return " AND ".join(parts)


class SQLiteBackend:
    """FTS5 over hex-encoded character 1- and 2-grams."""

    def add(self, cursor: CursorWrapper, entry_id: int, text: str) -> None:
        cursor.execute(_INSERT_SQL, [entry_id, *fts_columns(text)])

    def add_many(self, cursor: CursorWrapper, rows: list[tuple[int, str]]) -> None:
        for start in range(0, len(rows), _ADD_BATCH):
            batch = rows[start : start + _ADD_BATCH]
            cursor.executemany(_INSERT_SQL, [(entry_id, *fts_columns(text)) for entry_id, text in batch])

    def clear(self, cursor: CursorWrapper) -> None:
        cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('delete-all')")

    def remove(self, cursor: CursorWrapper, entry_id: int, text: str) -> None:
        # A contentless table forgets a row only when told exactly what was inserted.
        cursor.execute(_DELETE_SQL, [entry_id, *fts_columns(text)])

    def remove_many(self, cursor: CursorWrapper, rows: list[tuple[int, str]]) -> None:
        cursor.executemany(_DELETE_SQL, [(entry_id, *fts_columns(text)) for entry_id, text in rows])

    def match(self, terms: list[str], wanted: int | None = None) -> Match:
        # CROSS JOIN keeps the FTS table as the outer loop (SQLite's documented way to fix
        # the join order): the index yields the matches, newest first, and each is looked
        # up by primary key. With a plain JOIN the planner walked every entry of the kind
        # and ran the full-text query once per entry (seconds for a rare word, minutes
        # for a phrase of common 2-grams that occurs nowhere).
        return Match(
            f"{FTS_TABLE} AS f CROSS JOIN {ENTRY_TABLE} AS e ON e.id = f.rowid",
            f"{FTS_TABLE} MATCH %s",
            [fts_query(terms)],
            "f.rowid",
        )


# --- PostgreSQL -------------------------------------------------------------


def _code_points(text: str) -> array[int]:
    points = array("I")
    points.frombytes(text.encode("utf-32-le" if sys.byteorder == "little" else "utf-32-be"))
    if points and max(points) > 0xFFFF:
        # Outside the BMP (𠮷, emoji): fold into the surrogate range, which never
        # holds a real character. Codes may then collide: terms with such
        # characters are always confirmed with strpos.
        points = array("I", (p if p <= 0xFFFF else 0xD800 + (p & 0x7FF) for p in points))
    return points


def _signed(value: int) -> int:
    return value - 0x1_0000_0000 if value >= 0x8000_0000 else value


#: 3-gram codes are hashed into ``(a << 16) | b`` with ``a`` in U+0001..U+001F: control
#: characters, which normalised text never holds (they become spaces), so no character or
#: 2-gram code can be one. Several 3-grams may share a code: terms of three characters or
#: more are always confirmed with ``strpos``.
_TRIGRAM_REGIONS = 31


def _trigram_code(a: int, b: int, c: int) -> int:
    mixed = (a * 0x9E3779B1 ^ b * 0x85EBCA77 ^ c * 0xC2B2AE3D) & 0xFFFFFFFF
    return ((mixed >> 16) % _TRIGRAM_REGIONS + 1) << 16 | (mixed & 0xFFFF)


def _trigram_codes(points: array[int]) -> set[int]:
    return {
        _trigram_code(a, b, c)
        for a, b, c in zip(points, points[1:], points[2:], strict=False)
        if a != 0x20 and b != 0x20 and c != 0x20
    }


def pg_grams(text: str) -> list[int]:
    """32-bit codes of the distinct characters, 2-grams and 3-grams of ``text`` without a space.

    A character is its code point, a 2-gram ``(a << 16) | b`` (as a signed
    integer): one-to-one inside the Basic Multilingual Plane, and no 2-gram
    code equals a character code since no text holds U+0000. A 3-gram is a
    hash in a range neither can take (:data:`_TRIGRAM_REGIONS`).
    """
    points = _code_points(text)
    codes: set[int] = {p for p in points if p != 0x20}
    codes.update(_signed(a << 16 | b) for a, b in pairwise(points) if a != 0x20 and b != 0x20)
    codes.update(_trigram_codes(points))
    return sorted(codes)


def pg_term_codes(term: str) -> list[int]:
    """The codes an item holding the space-free ``term`` must hold: its character, its 2-gram or its 3-grams.

    For a term of three characters or more only the 3-grams: a phrase of
    common 2-grams that occurs nowhere (清瀬市総務課長) nearly always has a rare
    3-gram, so the GIN index finds few or no candidates.
    """
    points = _code_points(term)
    if len(points) == 1:
        return [points[0]]
    if len(points) == 2:
        return [_signed(points[0] << 16 | points[1])]
    return sorted(_trigram_codes(points))


class PostgresBackend:
    """GIN over codes of the distinct 1-, 2- and 3-grams, ``strpos`` for terms of three characters or more."""

    def add(self, cursor: CursorWrapper, entry_id: int, text: str) -> None:
        cursor.execute(_PG_INSERT_SQL, [entry_id, pg_grams(text)])

    def add_many(self, cursor: CursorWrapper, rows: list[tuple[int, str]]) -> None:
        for start in range(0, len(rows), _ADD_BATCH):
            batch = rows[start : start + _ADD_BATCH]
            cursor.executemany(_PG_INSERT_SQL, [(entry_id, pg_grams(text)) for entry_id, text in batch])

    def remove(self, cursor: CursorWrapper, entry_id: int, text: str) -> None:
        cursor.execute("DELETE FROM search_pg_grams WHERE entry_id = %s", [entry_id])

    def remove_many(self, cursor: CursorWrapper, rows: list[tuple[int, str]]) -> None:
        cursor.execute("DELETE FROM search_pg_grams WHERE entry_id = ANY(%s)", [[entry_id for entry_id, _t in rows]])

    def clear(self, cursor: CursorWrapper) -> None:
        cursor.execute("TRUNCATE search_pg_grams")

    def match(self, terms: list[str], wanted: int | None = None) -> Match:
        codes: set[int] = set()
        frequency = 1.0
        frequencies = gram_frequencies()
        for term in terms:
            term_codes = pg_term_codes(term)
            codes.update(term_codes)
            frequency = min(frequency, *(frequencies.get(code, 0.0) for code in term_codes))
        if wanted is not None and frequency >= walk_min_frequency(wanted):
            # Common grams: walk the entries newest first; ``wanted`` hits need about wanted / frequency rows.
            return Match(
                f"{ENTRY_TABLE} AS e",
                " AND ".join(["strpos(e.text, %s) > 0"] * len(terms)),
                list(terms),
                "e.id",
            )
        conditions = ["g.grams @> %s::integer[]"]
        params: list[Any] = [sorted(codes)]
        for term in terms:
            if len(term) >= 3 or max(term) > "\uffff":
                conditions.append("strpos(e.text, %s) > 0")
                params.append(term)
        return Match(
            f"search_pg_grams AS g JOIN {ENTRY_TABLE} AS e ON e.id = g.entry_id",
            " AND ".join(conditions),
            params,
            # "+ 0": no walk along the primary key; the GIN index finds the few rows.
            "g.entry_id + 0",
        )


def walk_min_frequency(wanted: int) -> float:
    """From which frequency walking the entries beats the GIN index, to find ``wanted`` hits.

    A page of 21 walks ~21 / frequency rows; a capped count of 1,001 would walk
    50 times more, so it walks only for words in a large share of the entries.
    """
    return min(1.0, WALK_MIN_FREQUENCY * max(wanted, 1) / 21)


#: Fraction of entries from which a gram counts as common (see ``PostgresBackend.match``).
WALK_MIN_FREQUENCY = 0.005
_STATS_TTL_SECONDS = 600.0
_stats: dict[str, Any] = {"at": None, "frequencies": {}}


def gram_frequencies() -> dict[int, float]:
    """Fraction of entries holding each common gram code, from PostgreSQL's statistics (cached 10 min).

    The planner alone misjudges here: it thinks a gram missing from its
    statistics still has a few hundred rows and walks the whole primary key
    for a word that occurs nowhere, and it does not know that checking an
    array costs far more than ``strpos``.
    """
    now = time.monotonic()
    if _stats["at"] is None or now - _stats["at"] > _STATS_TTL_SECONDS:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT most_common_elems::text::integer[], most_common_elem_freqs FROM pg_stats "
                "WHERE schemaname = current_schema() AND tablename = 'search_pg_grams' AND attname = 'grams'"
            )
            row = cursor.fetchone()
        elements = dict(zip(row[0], row[1], strict=False)) if row and row[0] else {}
        _stats.update(at=now, frequencies=elements)
    frequencies: dict[int, float] = _stats["frequencies"]
    return frequencies


def forget_gram_frequencies() -> None:
    """Drop the cached statistics (after ``ANALYZE``)."""
    _stats.update(at=None, frequencies={})


def backend_for(vendor: str) -> Backend:
    """The backend for a Django connection vendor (``sqlite`` or ``postgresql``)."""
    if vendor == "sqlite":
        return SQLiteBackend()
    if vendor == "postgresql":
        return PostgresBackend()
    raise NotImplementedError(f"全文検索はこのデータベースに対応していません: {vendor}")
