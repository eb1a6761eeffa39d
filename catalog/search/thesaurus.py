"""The citizens' vocabulary: abbreviations, everyday names and filler words, kept as data.

The table lives in ``synonyms.json`` next to this module so that an administrator can
extend it without touching code (then run ``manage.py catalog_reindex``, which rebuilds the
stored search text that PostgreSQL's trigram search reads).
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from catalog.search.text import accented_tokens, has_diacritics, tokens

THESAURUS_FILE = Path(__file__).with_name("synonyms.json")
MAX_VARIANTS = 8


@dataclass(frozen=True)
class Thesaurus:
    """Folded phrase → folded alternatives, plus the filler words of a question."""

    phrases: dict[tuple[str, ...], tuple[tuple[str, ...], ...]]
    abbreviations: dict[str, tuple[tuple[str, ...], ...]]
    stopwords: dict[tuple[str, ...], tuple[str, ...]]  # folded → accented spelling
    modifiers: tuple[tuple[str, ...], ...] = ()  # words that mark a secondary procedure

    def variants(self, words: list[str]) -> list[list[str]]:
        """The query itself, then the query with each known phrase replaced by its meanings.

        Phrases are matched longest first and do not overlap; at most ``MAX_VARIANTS``.
        """
        choices: list[list[tuple[str, ...]]] = []
        i = 0
        longest = max((len(key) for key in self.phrases), default=1)
        while i < len(words):
            for size in range(min(longest, len(words) - i), 0, -1):
                key = tuple(words[i : i + size])
                if key in self.phrases:
                    choices.append([key, *self.phrases[key]])
                    i += size
                    break
            else:
                choices.append([(words[i],)])
                i += 1
        result: list[list[str]] = []
        for combination in itertools.islice(itertools.product(*choices), MAX_VARIANTS):
            result.append([word for part in combination for word in part])
        return result

    def stopword_mask(self, folded: list[str], accented: list[str]) -> list[bool]:
        """Which query words are filler ("thủ tục", "làm", "như thế nào" …).

        A word typed with diacritics is filler only if it is spelt like the filler word, so
        "lâm" (forestry) is not mistaken for "làm" (to do); a bare "lam" is treated as filler.
        """
        same_spelling = len(accented) == len(folded)
        mask = [False] * len(folded)
        for key, spelling in self.stopwords.items():
            size = len(key)
            for i in range(len(folded) - size + 1):
                if tuple(folded[i : i + size]) != key:
                    continue
                if same_spelling:
                    typed = accented[i : i + size]
                    if any(has_diacritics(w) and w != s for w, s in zip(typed, spelling, strict=True)):
                        continue
                for j in range(i, i + size):
                    mask[j] = True
        return mask

    def modifiers_in(self, folded_name: str) -> frozenset[tuple[str, ...]]:
        """The secondary-procedure words ("gia hạn", "cấp lại" …) that a name contains."""
        padded = f" {folded_name} "
        return frozenset(m for m in self.modifiers if f" {' '.join(m)} " in padded)

    def aliases_for(self, folded_text: str) -> list[str]:
        """Abbreviations whose meaning appears in a procedure's text (``gpkd`` for a business licence)."""
        padded = f" {folded_text} "
        found: list[str] = []
        for short, meanings in self.abbreviations.items():
            if any(f" {' '.join(meaning)} " in padded for meaning in meanings):
                found.append(short)
        return found


def _phrase(text: str) -> tuple[str, ...]:
    return tuple(tokens(text))


@lru_cache(maxsize=1)
def thesaurus() -> Thesaurus:
    return thesaurus_from_data(json.loads(THESAURUS_FILE.read_text(encoding="utf-8")))


def thesaurus_from_data(data: dict[str, object]) -> Thesaurus:
    phrases: dict[tuple[str, ...], tuple[tuple[str, ...], ...]] = {}
    abbreviations: dict[str, tuple[tuple[str, ...], ...]] = {}
    for section in ("abbreviations", "synonyms"):
        table = data.get(section, {})
        if not isinstance(table, dict):
            raise ValueError(f"{THESAURUS_FILE.name}: '{section}' must be an object")
        for key, meanings in table.items():
            folded_key = _phrase(key)
            folded_meanings = tuple(_phrase(m) for m in meanings if _phrase(m) and _phrase(m) != folded_key)
            if not folded_key or not folded_meanings:
                continue
            phrases[folded_key] = phrases.get(folded_key, ()) + folded_meanings
            if section == "abbreviations" and len(folded_key) == 1:
                abbreviations[folded_key[0]] = phrases[folded_key]
    raw_stopwords = data.get("stopwords", [])
    if not isinstance(raw_stopwords, list):
        raise ValueError(f"{THESAURUS_FILE.name}: 'stopwords' must be a list")
    stopwords = {_phrase(word): tuple(accented_tokens(word)) for word in raw_stopwords if _phrase(word)}
    raw_modifiers = data.get("modifiers", [])
    if not isinstance(raw_modifiers, list):
        raise ValueError(f"{THESAURUS_FILE.name}: 'modifiers' must be a list")
    modifiers = tuple(_phrase(word) for word in raw_modifiers if _phrase(word))
    return Thesaurus(phrases=phrases, abbreviations=abbreviations, stopwords=stopwords, modifiers=modifiers)
