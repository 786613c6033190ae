"""Full-text search in Japanese (全文検索), exact for queries of any length, on SQLite and PostgreSQL.

Public interface (import from the submodules; this package imports nothing so
that it can be loaded before the app registry):

* :func:`cityhall.search.services.index_item` (``key``, ``kind``, ``title``,
  ``body``, ``extra_text``: upsert), :func:`~cityhall.search.services.remove_item`,
  :func:`~cityhall.search.services.index_new_items` (bulk),
  :func:`~cityhall.search.services.rebuild_index`. Owners call them on commit.
* :func:`cityhall.search.selectors.matching_keys_sql` → ``(sql, params)`` for
  ``Model.objects.filter(pk__in=RawSQL(sql, params))``, or
  :func:`~cityhall.search.selectors.filter_by_search` which does that, so the
  owner's permission filter and the text match are one query;
  :func:`~cityhall.search.selectors.search_keys` (one page, newest entry first)
  and :func:`~cityhall.search.selectors.count_matches` (optionally capped),
  both taking ``restrict=(sql, params)``, a condition on ``e.key`` such as a
  correlated ``EXISTS`` with the caller's permission rule, checked while the
  index walks newest first (``pk__in`` would compute every match first).

Semantics: text and query are normalised alike (:mod:`cityhall.search.text`:
NFKC, lower case, half-width kana → full-width, spaces collapsed). The query is
split on white space; an item matches when its title + body + attachment text
contains every term as a substring. A term never spans a space or the border
between title, body and attachment text. A blank query raises
``ValidationFailed`` 「検索語を入力してください。」.

Design (measured; see bench/bench_search.py, bench/bench_search_page.py and shared search notes):

* A trigram index (FTS5 ``trigram``, ``pg_trgm``) cannot answer the one- and
  two-character words users type most (決裁, 課長); on SQLite 3.40 it returns
  nothing for them. N-gram engines that AND grams without positions return
  false hits for longer terms. So we index character 1-, 2- and 3-grams made
  in Python.
* SQLite: a contentless FTS5 table; tokens are hex-encoded characters so the
  ``ascii`` tokenizer keeps each gram whole. A term of one character is looked
  up in ``uni``, of two in ``bi``, of three or more as the *phrase* of its
  3-grams in ``tri``: consecutive positions make it exact with no check
  against the text, and a phrase of common 2-grams that occurs nowhere
  (清瀬市総務課長) nearly always has a rare 3-gram, so it is answered at once.
  The FTS5 rowid is the entry id and the FTS table is the outer loop of the
  join (``CROSS JOIN``), so ``ORDER BY rowid DESC LIMIT 20`` stops after the
  first page and a rare word costs what its few hits cost.
* PostgreSQL: tsvector is unusable for exactness (positions stop at 16,383,
  at most 256 positions per lexeme: long attachments and 「ああああ…」 would be
  missed), so a GIN index over the array of distinct 1-, 2- and (hashed)
  3-grams selects candidates (codes as ``integer[]``, small enough to stay
  uncompressed in the row); terms of 1 or 2 characters are exact from the
  index alone, longer ones are looked up by their 3-grams and confirmed with
  ``strpos`` on the stored normalised text. When every gram of the query is
  common, walking the entries newest first with ``strpos`` fills a page
  sooner than the index; the choice is made from PostgreSQL's column
  statistics and from how many hits the caller needs.
* Counting every hit of a very common word costs much more than the first
  page on both databases: show the first page, and a count capped with
  ``count_matches(cap=...)`` (「1,000件以上」).
* Every query of :func:`~cityhall.search.selectors.search_keys` and
  :func:`~cityhall.search.selectors.count_matches` is bounded in time
  (:mod:`cityhall.search.bounds`, ``CITYHALL_SEARCH_TIME_BUDGET_MS``) and
  raises ``SearchTimedOut`` past it (show 「多数」).
"""
