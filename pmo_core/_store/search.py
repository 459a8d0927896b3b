"""Full-text search rules shared by every store: what text a document is found by, how a
query is read, and the plain scan the memory store and as-of views search with.

A backend with an index of its own (SQLite's FTS5, PostgreSQL's ``tsvector``) indexes
:meth:`SearchQuery.text_of` of each document and turns :meth:`SearchQuery.parse` into its own
query language from the words, never from the raw text, so no input can reach the index's
query syntax. The conformance suite holds every backend to the same matching.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from typing import Any, ClassVar

from pmo_core._errors import InvalidInputError

from . import _common as c
from .protocol import ANY, Document, OwnerFilter, SearchHit

__all__ = ["SearchQuery", "check_kinds", "check_limit", "search_by_scan"]

# Letters and digits, as SQLite's unicode61 tokenizer keeps them; everything else (spaces,
# punctuation, "_", quotes, FTS operators' symbols) separates words.
_WORD = re.compile(r"[^\W_]+")
_PHRASE = re.compile(r'"([^"]*)"?|([^"\s]+)')
# Strings that are dates, times or numbers (amounts are decimal strings): not words to find.
_NOT_WORDS = re.compile(
    r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?"  # a date, a time
    r"|[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?"  # a number
)
#: What joins a document's strings into its search text (no word character, so a phrase
#: never spans two fields in the memory scan).
_JOIN = " | "
_SNIPPET_WORDS = 12


_NUMERIC_START = frozenset("0123456789+-.")


def _collect(values: Iterable[Any], out: list[str]) -> None:
    """Append the strings among ``values``, at any depth, that are words to find (one call
    per container, not per value: a bulk import runs this for every row)."""
    for value in values:
        if isinstance(value, str):
            if not value or value.isspace():
                continue
            # Dates, times and numbers start with a digit, a sign or a point; most text not.
            if value[0] in _NUMERIC_START and _NOT_WORDS.fullmatch(value):
                continue
            out.append(value.replace("\x00", " ") if "\x00" in value else value)  # PG: no NUL
        elif value is None or isinstance(value, (bool, int, float)):
            continue
        elif isinstance(value, dict):
            _collect(value.values(), out)
        elif isinstance(value, (list, tuple)):
            _collect(value, out)
        else:
            # What the store writes for it (a date's ISO text, a UUID's...), from data not
            # yet written as JSON (an insert_many's rows).
            try:
                converted = c.json_default(value)
            except TypeError:
                continue
            _collect((converted,), out)


def check_kinds(kinds: Collection[str] | None) -> tuple[str, ...] | None:
    """``kinds`` checked and sorted, or ``None`` for every kind."""
    if kinds is None:
        return None
    if isinstance(kinds, str):
        raise InvalidInputError("kinds must be a collection of kinds, not a single string")
    return tuple(sorted({c.check_kind(kind) for kind in kinds}))


def check_limit(limit: int | None) -> int | None:
    """``limit`` checked: a positive number of hits, or ``None`` for all."""
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 1):
        raise InvalidInputError(f"limit must be a positive number of hits: {limit!r}")
    return limit


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """A search as every store reads it: ``terms`` that must all match, each a phrase of
    lower-case words (a bare word is a phrase of one); with ``prefix`` the last word of the
    last term also matches longer words (``deliv`` finds ``delivery``).

    :meth:`parse` reads plain words (all must match, case-insensitive), ``"quoted
    phrases"`` (words in that order), and makes the last bare word a prefix. Anything else
    (quotes left open, ``*``, ``NEAR``, ``AND``/``OR``/``NOT``, parentheses, SQL) is just
    more words or separators: no input is a syntax error. A store backend author builds the
    index's own query from ``terms`` and indexes :meth:`text_of` of each document.

    Example::

        q = SearchQuery.parse('vendor "drop 2" deliv')
        assert q.terms == (("vendor",), ("drop", "2"), ("deliv",)) and q.prefix
        assert q.score("Vendor missed drop 2 delivery") == 3
    """

    #: The marks around a matched word in :attr:`SearchHit.snippet`.
    MARKS: ClassVar[tuple[str, str]] = ("[", "]")

    terms: tuple[tuple[str, ...], ...]
    prefix: bool = False

    @classmethod
    def parse(cls, text: str) -> SearchQuery:
        """Read a user's search text; a text without any word gives an empty query (falsy).

        Example::

            assert SearchQuery.parse('"vendor delay"').terms == (("vendor", "delay"),)
            assert not SearchQuery.parse('* "" ()')
        """
        if not isinstance(text, str):
            raise InvalidInputError(f"search text must be a string: {text!r}", where="text")
        terms: list[tuple[str, ...]] = []
        last_bare = False
        for match in _PHRASE.finditer(text):
            quoted, bare = match.group(1), match.group(2)
            words = tuple(cls.words(quoted if bare is None else bare))
            if words:
                terms.append(words)
                last_bare = bare is not None
        return cls(tuple(terms), prefix=last_bare)

    def __bool__(self) -> bool:
        return bool(self.terms)

    @staticmethod
    def words(text: str) -> list[str]:
        """The lower-case words of ``text``: runs of letters and digits.

        Example::

            assert SearchQuery.words("Vendor-delay (R_1)") == ["vendor", "delay", "r", "1"]
        """
        return _WORD.findall(text.lower())

    #: Kinds that are bookkeeping, not prose: an import's external references (a remote
    #: key, the source's path, digests) would be half of a large store's index and match
    #: nothing a person looks for. Their documents have no search text.
    UNSEARCHED_KINDS: ClassVar[frozenset[str]] = frozenset({"external_ref"})

    @classmethod
    def text_of(cls, data: dict[str, Any], kind: str | None = None) -> str:
        """The text a document (of ``kind``) is found by: every string value in ``data``, at
        any depth (names, titles, descriptions, notes, subjects, tags), joined; nothing for
        a kind in :attr:`UNSEARCHED_KINDS`.

        Left out: keys, the document's own ``id`` and ``kind`` when its data repeats them,
        blank strings, strings that are dates, times or numbers (amounts are decimal
        strings), and every number, boolean and null. References to other records
        (``"entity": "ALPHA"``) are strings like any other and are found.

        Example::

            data = {"id": "R-1", "title": "Vendor late", "due": "2025-03-01",
                    "cost": {"amount": "1200.00", "currency": "EUR"}}
            assert SearchQuery.text_of(data) == "Vendor late | EUR"
        """
        if kind in cls.UNSEARCHED_KINDS:
            return ""
        out: list[str] = []
        values: Iterable[Any] = data.values()
        if "id" in data or "kind" in data:
            # The document's own id and kind, repeated in its data by the domain: a hit
            # carries them already, and every project would match the word "project".
            values = [v for k, v in data.items() if k != "id" and k != "kind"]
        _collect(values, out)
        return _JOIN.join(out)

    def _positions(self, words: list[str]) -> list[list[int]] | None:
        """Where each term starts in ``words``; ``None`` if one of them is absent."""
        found = []
        last = len(self.terms) - 1
        for t, term in enumerate(self.terms):
            prefix = self.prefix and t == last
            n = len(term)
            starts = [
                i
                for i in range(len(words) - n + 1)
                if words[i : i + n - 1] == list(term[:-1])
                and (
                    words[i + n - 1].startswith(term[-1])
                    if prefix
                    else words[i + n - 1] == term[-1]
                )
            ]
            if not starts:
                return None
            found.append(starts)
        return found

    def score(self, text: str) -> float:
        """How well ``text`` matches: the number of times the terms occur in it, 0 when one
        of them does not (the memory store's rank; indexed backends rank their own way).

        Example::

            q = SearchQuery.parse("vendor")
            assert q.score("vendor late, vendor again") == 2 and q.score("late") == 0
        """
        if not self.terms:
            return 0.0
        found = self._positions(self.words(text))
        return 0.0 if found is None else float(sum(map(len, found)))

    def snippet(self, text: str) -> str:
        """A few words of ``text`` around the first match, each matched word in
        :attr:`MARKS`, with ``…`` where words were cut.

        Example::

            assert SearchQuery.parse("late").snippet("Vendor late") == "Vendor [late]"
        """
        spans = [m.span() for m in _WORD.finditer(text)]
        words = [text[a:b].lower() for a, b in spans]
        found = self._positions(words) if self.terms else None
        if not found:
            return " ".join(text[a:b] for a, b in spans[:_SNIPPET_WORDS])
        marked: set[int] = set()
        for term, starts in zip(self.terms, found, strict=True):
            for start in starts:
                marked.update(range(start, start + len(term)))
        first = min(marked)
        begin = max(0, min(first - 3, len(spans) - _SNIPPET_WORDS))
        end = min(len(spans), begin + _SNIPPET_WORDS)
        open_, close = self.MARKS
        out = "…" if begin else ""
        for i in range(begin, end):
            a, b = spans[i]
            if i > begin:
                out += text[spans[i - 1][1] : a]
            out += f"{open_}{text[a:b]}{close}" if i in marked else text[a:b]
        return out + ("…" if end < len(spans) else "")

    def scan(
        self,
        documents: Iterable[Document],
        *,
        owner: OwnerFilter = ANY,
        limit: int | None = 50,
    ) -> list[SearchHit]:
        """Search ``documents`` one by one: the memory store's search, and every store's
        search of the past (its as-of views). Best score first, then by kind and id.

        Example::

            hits = SearchQuery.parse("vendor").scan(store.query("raid_item"), limit=10)
        """
        hits = []
        for doc in documents:
            if owner is not ANY and doc.owner != owner:
                continue
            text = self.text_of(doc.data, doc.kind)
            score = self.score(text)
            if score:
                hits.append(SearchHit(doc.kind, doc.id, doc.owner, score, self.snippet(text)))
        hits.sort(key=lambda h: (-h.score, h.kind, h.id))
        return hits if limit is None else hits[:limit]


def search_by_scan(
    query: Callable[[str], Iterable[Document]],
    present: Iterable[str],
    text: str,
    *,
    kinds: Collection[str] | None,
    owner: OwnerFilter,
    limit: int | None,
) -> list[SearchHit]:
    """:meth:`Store.search` by reading every document of the kinds ``present`` (or of
    ``kinds``) through ``query(kind)``: the memory store's search and the as-of views'."""
    wanted, owner, limit = check_kinds(kinds), c.check_owner_filter(owner), check_limit(limit)
    parsed = SearchQuery.parse(text)
    if not parsed:
        return []
    chosen = sorted(set(present)) if wanted is None else wanted
    documents = (doc for kind in chosen for doc in query(kind))
    return parsed.scan(documents, owner=owner, limit=limit)
