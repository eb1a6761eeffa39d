"""The in-memory index of the procedures in force, and how a query is ranked against it.

Why in memory: a province has one to two thousand procedures in force, a few megabytes
once tokenised. Ranking in Python keeps SQLite and PostgreSQL on exactly the same results
and answers in a few milliseconds; the index is rebuilt when the catalogue's revision
changes (see ``catalog.selectors``). PostgreSQL adds a trigram fallback on top
(``catalog.search.trigram``) for typos the edit-distance pass cannot repair.

Ranking, in short: every query word is matched to the vocabulary (exactly, by prefix for the
word being typed, through a Telex/VNI repair, by splitting run-together words, or within one
or two typos); a procedure scores the share of the query's weight (rarer words weigh more)
it covers, name words counting more than keywords, sector or result. Bonuses go to the
query's words in the same order in the name, to short names the query covers well, to the
exact accented spelling, to an exact name, and a little to frequently used procedures.
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from catalog.models import ProcedureVersion
from catalog.search.text import (
    accented_tokens,
    allowed_typos,
    compact_code,
    deletes,
    fold,
    has_diacritics,
    ime_repairs,
    osa_distance,
    tokens,
)
from catalog.search.thesaurus import Thesaurus, thesaurus

# How much a word found in each part of a procedure counts, relative to its name.
FIELD_WEIGHTS = {
    "name": 1.0,
    "alias": 0.9,
    "code": 0.9,
    "keywords": 0.8,
    "sector": 0.5,
    "result": 0.4,
    "authority": 0.3,
}
PREFIX_QUALITY = 0.7
MAX_PREFIX_EXPANSION = 30
SOFT_STOPWORD_FACTOR = 0.15
MIN_COVERAGE = 0.4
RELATIVE_COVERAGE = 0.6
RERANK_DEPTH = 300
MODIFIER_PENALTY = 0.08
THESAURUS_FACTOR = 0.97
MAX_QUERY_LENGTH = 200  # characters read from a query; the rest is ignored
MAX_SEGMENTED_LENGTH = 40
_PARENTHESES = re.compile(r"\([^)]*\)?")


def document_fields(version: ProcedureVersion) -> list[tuple[str, str]]:
    """The texts of a version that search reads, tagged with the part they come from."""
    keywords = version.keywords.replace(";", ",")
    parts = [
        ("name", version.name),
        ("code", f"{version.procedure.code} {compact_code(version.procedure.code)}"),
        ("keywords", keywords),
        ("sector", version.sector.name),
        ("result", version.result),
        ("authority", version.competent_authority),
    ]
    folded_own = fold(f"{version.name} {keywords}")
    parts.append(("alias", " ".join(thesaurus().aliases_for(folded_own))))
    return parts


def search_text_for(version: ProcedureVersion) -> str:
    """The folded text stored in ``ProcedureVersion.search_text`` (what PostgreSQL's trigram index reads)."""
    wanted = ("name", "code", "keywords", "alias", "sector", "result")
    return fold(" ".join(text for part, text in document_fields(version) if part in wanted))


@dataclass(frozen=True)
class Entry:
    """One version in force, as the index sees it."""

    version: ProcedureVersion
    folded_name: str
    name_tokens: tuple[str, ...]
    name_bigrams: frozenset[tuple[str, str]]
    core_tokens: tuple[str, ...]  # the name without its parenthesised lists
    modifiers: frozenset[tuple[str, ...]]
    accented_name: frozenset[str]
    code: str
    sector_code: str
    level: str
    service_level: str
    agency_code: str

    @property
    def popularity(self) -> int:
        return int(self.version.procedure.popularity)


@dataclass
class QueryWord:
    word: str
    candidates: dict[str, float]
    weight: float
    resolved: bool


@dataclass
class Ranking:
    """Entry positions, best first, with their scores; ``unresolved`` words matched nothing at all."""

    hits: list[tuple[int, float]] = field(default_factory=list)
    unresolved: list[str] = field(default_factory=list)


class SearchIndex:
    def __init__(self, versions: Iterable[ProcedureVersion], *, words: Thesaurus | None = None) -> None:
        self.thesaurus = words or thesaurus()
        self.entries: list[Entry] = []
        self.postings: dict[str, dict[int, float]] = defaultdict(dict)
        for position, version in enumerate(versions):
            self.entries.append(_entry(version, self.thesaurus))
            for part, text in document_fields(version):
                weight = FIELD_WEIGHTS[part]
                for word in tokens(text):
                    if self.postings[word].get(position, 0.0) < weight:
                        self.postings[word][position] = weight
        self.by_id = {entry.version.pk: position for position, entry in enumerate(self.entries)}
        count = len(self.entries)
        self.idf = {w: math.log(1 + (count + 1) / (len(p) + 0.5)) for w, p in self.postings.items()}
        self.default_idf = sorted(self.idf.values())[len(self.idf) // 2] if self.idf else 1.0
        self.vocabulary = sorted(self.postings)
        self.neighbours: dict[str, set[str]] = defaultdict(set)
        for word in self.vocabulary:
            typos = max(allowed_typos(word), 1) if len(word) >= 2 and not word.isdigit() else 0
            if typos:
                for variant in deletes(word, typos):
                    self.neighbours[variant].add(word)
        self.bigrams = {pair for entry in self.entries for pair in entry.name_bigrams}

    # -- query words ---------------------------------------------------------------

    def _prefixed(self, word: str) -> list[str]:
        start = bisect.bisect_left(self.vocabulary, word)
        found: list[str] = []
        for candidate in self.vocabulary[start : start + MAX_PREFIX_EXPANSION + 1]:
            if not candidate.startswith(word):
                break
            if candidate != word:
                found.append(candidate)
        return found

    def _near(self, word: str) -> dict[str, float]:
        typos = allowed_typos(word)
        if not typos:
            return {}
        near: dict[str, float] = {}
        for variant in deletes(word, typos):
            for candidate in self.neighbours.get(variant, ()):
                if candidate in near:
                    continue
                # A short syllable may carry one typo ("tửu" for "tử"), a longer word two.
                limit = min(typos, max(allowed_typos(candidate), 1))
                distance = osa_distance(word, candidate, limit)
                if distance <= limit:
                    quality = 0.8 if distance == 1 else 0.6
                    near[candidate] = quality if min(len(word), len(candidate)) > 3 else quality - 0.2
        return near

    def repair(self, word: str) -> list[str]:
        """A word the vocabulary does not know, as Telex/VNI repair or split into known words."""
        if word in self.postings or word.isdigit():
            return [word]
        for repaired in ime_repairs(word):
            if repaired in self.postings:
                return [repaired]
        if 4 <= len(word) <= MAX_SEGMENTED_LENGTH:
            return self._segment(word) or [word]
        return [word]

    def _segment(self, word: str) -> list[str] | None:
        """Run-together words split into the fewest known words of two letters or more
        (``dangkykethon`` → dang ky ket hon); among equals, the split whose neighbours
        appear side by side in some name."""
        best: list[list[str] | None] = [None] * (len(word) + 1)
        best[0] = []
        for end in range(2, len(word) + 1):
            options = []
            for start in range(0, end - 1):
                head = best[start]
                part = word[start:end]
                if head is not None and part in self.postings:
                    split = [*head, part]
                    known_pairs = sum(1 for pair in itertools.pairwise(split) if pair in self.bigrams)
                    options.append((len(split), -known_pairs, split))
            if options:
                best[end] = min(options)[2]
        found = best[len(word)]
        return found if found and len(found) > 1 else None

    def _query_word(self, word: str, *, last: bool, soft_stop: bool) -> QueryWord:
        candidates: dict[str, float] = {}
        if word in self.postings:
            candidates[word] = 1.0
        else:
            candidates.update(self._near(word))
        # The last word may be half typed ("dang ky kh"); a known word is taken as typed.
        if word not in self.postings and (last or len(word) >= 4):
            for prefixed in self._prefixed(word):
                candidates[prefixed] = max(candidates.get(prefixed, 0.0), PREFIX_QUALITY)
        if candidates:
            best = max(candidates, key=lambda w: (candidates[w], -len(self.postings[w])))
            weight = self.idf[best]
        else:
            weight = self.default_idf
        if soft_stop:
            weight *= SOFT_STOPWORD_FACTOR
        return QueryWord(word=word, candidates=candidates, weight=weight, resolved=bool(candidates))

    def prepare(self, query: str) -> tuple[list[list[QueryWord]], list[str]]:
        """The query's variants (itself and its thesaurus readings) as weighted words."""
        folded = tokens(query)
        accented = accented_tokens(query)
        mask = self.thesaurus.stopword_mask(folded, accented)
        same_spelling = len(accented) == len(folded)
        words: list[str] = []
        soft_stops: set[str] = set()
        all_filler = all(mask)
        for position, word in enumerate(folded):
            if mask[position] and not all_filler:
                if same_spelling and has_diacritics(accented[position]):
                    continue  # "làm", "thủ tục" typed with accents: certainly filler
                soft_stops.add(word)  # a bare "lam" may be "lâm": keep it, weigh it little
            words.extend(self.repair(word))
        if not words:
            words = folded
        variants = []
        unresolved: set[str] = set()
        for variant in self.thesaurus.variants(words):
            prepared = [
                self._query_word(word, last=i == len(variant) - 1, soft_stop=word in soft_stops)
                for i, word in enumerate(variant)
            ]
            variants.append(prepared)
        for prepared_variant in variants:
            missing = {
                word.word
                for word in prepared_variant
                if not word.resolved and len(word.word) >= 3 and word.word not in soft_stops
            }
            if not missing:  # one reading of the query is fully understood
                return variants, []
            unresolved |= missing
        return variants, sorted(unresolved)

    # -- ranking -------------------------------------------------------------------

    def rank(self, query: str, allowed: set[int] | None = None) -> Ranking:
        query = query[:MAX_QUERY_LENGTH]
        variants, unresolved = self.prepare(query)
        best: dict[int, float] = {}
        for number, words in enumerate(variants):
            # What the citizen typed, read literally, outranks a thesaurus reading of it.
            factor = 1.0 if number == 0 else THESAURUS_FACTOR
            for position, score in self._score_variant(words, allowed).items():
                score *= factor
                if score > best.get(position, -1.0):
                    best[position] = score
        for position, extra in self.accent_bonus(query, list(best)).items():
            best[position] += extra
        code = compact_code(query)
        if len(code) >= 4 and any(ch.isdigit() for ch in code):
            for position, entry in enumerate(self.entries):
                if (allowed is None or position in allowed) and code in entry.code:
                    bonus = 3.0 if entry.code == code else 1.5
                    best[position] = best.get(position, 0.0) + bonus
        hits = sorted(best.items(), key=lambda item: (-item[1], -self.entries[item[0]].popularity, item[0]))
        return Ranking(hits=hits, unresolved=unresolved)

    def _score_variant(self, words: list[QueryWord], allowed: set[int] | None) -> dict[int, float]:
        total = sum(word.weight for word in words)
        if not total:
            return {}
        coverage: dict[int, float] = defaultdict(float)
        for word in words:
            best: dict[int, float] = {}
            for candidate, quality in word.candidates.items():
                for position, part_weight in self.postings[candidate].items():
                    value = quality * part_weight
                    if value > best.get(position, 0.0):
                        best[position] = value
            for position, value in best.items():
                coverage[position] += word.weight * value / total
        if allowed is not None:
            coverage = defaultdict(float, {p: c for p, c in coverage.items() if p in allowed})
        if not coverage:
            return {}
        top = max(coverage.values())
        floor = max(MIN_COVERAGE, RELATIVE_COVERAGE * top)
        kept = sorted((p for p, c in coverage.items() if c >= floor), key=lambda p: -coverage[p])
        folded_query = " ".join(word.word for word in words)
        sets = [set(word.candidates) for word in words]
        everything = set().union(*sets)
        # The word pairs that, side by side in a name, follow the query's order.
        pairs = [
            frozenset(itertools.product(sets[i], sets[i + 1]))
            if len(sets[i]) * len(sets[i + 1]) <= 400
            else None
            for i in range(len(words) - 1)
        ]
        most_popular = max((self.entries[p].popularity for p in kept[:RERANK_DEPTH]), default=0)
        scores: dict[int, float] = {}
        for rank, position in enumerate(kept):
            score = coverage[position]
            if rank < RERANK_DEPTH:
                score += self._bonus(
                    self.entries[position], sets, pairs, everything, folded_query, most_popular
                )
            scores[position] = score
        return scores

    def _bonus(
        self,
        entry: Entry,
        sets: list[set[str]],
        pairs: list[frozenset[tuple[str, str]] | None],
        everything: set[str],
        folded_query: str,
        most_popular: int,
    ) -> float:
        bonus = 0.0
        if pairs:
            in_order = 0
            for i, wanted in enumerate(pairs):
                if wanted is not None:
                    in_order += not wanted.isdisjoint(entry.name_bigrams)
                else:
                    in_order += any(a in sets[i] and b in sets[i + 1] for a, b in entry.name_bigrams)
            bonus += 0.25 * in_order / len(pairs)
        covered = sum(1 for token in entry.core_tokens if token in everything)
        bonus += 0.15 * covered / len(entry.core_tokens)
        query_words = f" {folded_query} "
        if any(f" {' '.join(m)} " not in query_words for m in entry.modifiers):
            bonus -= MODIFIER_PENALTY  # "gia hạn …" when the citizen did not ask to extend
        if entry.folded_name == folded_query:
            bonus += 1.0
        elif entry.folded_name.startswith(folded_query + " "):
            bonus += 0.1
        if most_popular:
            bonus += 0.03 * math.log1p(entry.popularity) / math.log1p(most_popular)
        return bonus

    def accent_bonus(self, query: str, positions: Iterable[int]) -> dict[int, float]:
        """A small reward for names that share the query's accented words (bản sao, not bán)."""
        typed = {w for w in accented_tokens(query) if has_diacritics(w)}
        if not typed:
            return {}
        bonuses = {}
        for position in positions:
            shared = typed & self.entries[position].accented_name
            if shared:
                bonuses[position] = 0.05 * len(shared) / len(typed)
        return bonuses


def _entry(version: ProcedureVersion, words: Thesaurus) -> Entry:
    name_tokens = tuple(tokens(version.name))
    core_tokens = tuple(tokens(_PARENTHESES.sub(" ", version.name))) or name_tokens
    return Entry(
        core_tokens=core_tokens,
        modifiers=words.modifiers_in(" ".join(core_tokens)),
        version=version,
        folded_name=" ".join(name_tokens),
        name_tokens=name_tokens,
        name_bigrams=frozenset(itertools.pairwise(name_tokens)),
        accented_name=frozenset(accented_tokens(version.name)),
        code=compact_code(version.procedure.code),
        sector_code=version.sector.code,
        level=version.level,
        service_level=version.service_level,
        agency_code=version.competent_agency.edoc_code if version.competent_agency else "",
    )
