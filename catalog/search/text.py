"""Vietnamese text as citizens type it: folded, tokenised, and repaired.

Everything the search engine compares is *folded*: diacritics removed (``Đ`` → ``d``),
lower case, anything that is not a letter or a digit turned into a space. Citizens type
with or without accents, sometimes with the input method switched off (Telex ``ddawng kys``,
VNI ``d9a8ng ky1``), sometimes with two words run together; the helpers here turn such
tokens back into something the vocabulary knows.
"""

from __future__ import annotations

import re
import unicodedata

from unidecode import unidecode

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_WORD = re.compile(r"\w+")
_LETTER_AND_DIGIT = re.compile(r"(?=.*[a-z])(?=.*\d)")
# Telex vowel marks: aa → â, aw → ă, ee → ê, oo → ô, ow → ơ, uw → ư, dd → đ.
_TELEX_VOWELS = re.compile(r"aa|aw|ee|oo|ow|uw|dd")


def fold(text: str) -> str:
    """``"Đăng ký khai sinh"`` → ``"dang ky khai sinh"``."""
    return " ".join(_NON_ALNUM.split(unidecode(text).lower())).strip()


def tokens(text: str) -> list[str]:
    """The folded words of ``text``."""
    return fold(text).split()


def accented_tokens(text: str) -> list[str]:
    """The lower-case words of ``text`` with their diacritics (NFC), to reward exact spelling."""
    return _WORD.findall(unicodedata.normalize("NFC", text).lower())


def has_diacritics(word: str) -> bool:
    return unidecode(word) != word


def compact_code(text: str) -> str:
    """A procedure code without its punctuation: ``"1.004471"`` → ``"1004471"``."""
    return _NON_ALNUM.sub("", unidecode(text).lower())


def ime_repairs(token: str) -> list[str]:
    """Plain spellings of a folded token typed with the Vietnamese input method off.

    Telex: vowel marks become the bare vowel (``ddawng`` → ``dang``) and tone keys vanish:
    ``f`` and ``j`` never occur in Vietnamese words, ``s``, ``r`` and ``x`` only at the start
    (``tr`` aside), so ``kys`` → ``ky`` and ``chuwngs`` → ``chung``. VNI: the digits go
    (``d9a8ng`` → ``dang``).
    """
    repairs: list[str] = []
    if _LETTER_AND_DIGIT.match(token):
        repairs.append(re.sub(r"\d", "", token))
    plain = _TELEX_VOWELS.sub(lambda m: m.group(0)[0], token).replace("w", "u")
    kept: list[str] = []
    for i, char in enumerate(plain):
        if char in "fj" and i > 0:
            continue
        if char in "sx" and i > 0:
            continue
        if char == "r" and i > 0 and not (i == 1 and plain[0] == "t"):
            continue
        kept.append(char)
    telex = "".join(kept)
    if telex != token and telex:
        repairs.append(telex)
    return repairs


def osa_distance(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment distance (Levenshtein plus adjacent swaps), capped at ``limit + 1``.

    ``"sihn"`` and ``"sinh"`` are one swap apart.
    """
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        row_min = current[0]
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                value = min(value, previous2[j - 2] + 1)
            current[j] = value
            row_min = min(row_min, value)
        if row_min > limit:
            return limit + 1
        previous2, previous = previous, current
    return min(previous[len(b)], limit + 1)


def deletes(word: str, distance: int) -> set[str]:
    """Every string obtained by deleting up to ``distance`` letters (the SymSpell neighbourhood)."""
    found = {word}
    frontier = {word}
    for _ in range(distance):
        frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))}
        found |= frontier
    return found


def allowed_typos(word: str) -> int:
    """How many typos a word of this length may carry and still be recognised."""
    if len(word) <= 2 or word.isdigit():
        return 0
    if len(word) <= 5:
        return 1
    return 2
