"""Vietnamese text handling for the extractor: paragraphs, sentences, folding, imperative clauses.

Sentence splitting and part-of-speech tags come from underthesea, whose models ship inside the
package (``pipeline/pos_tag/models``): nothing is downloaded at run time. The part-of-speech tag
of a sentence's first word tells an instruction ("Rà soát lại …", a verb) from a statement ("Hạ
tầng số …", a noun) in notices that are written as prose rather than as numbered points.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from unidecode import unidecode

_SPACES = re.compile(r"[ \t\u00a0\u2002-\u200b]+")
_CONTINUES = re.compile(r"^[a-zàáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]")

# Words that open an instruction though underthesea may not tag them as verbs.
IMPERATIVE_OPENERS = (
    "khẩn trương",
    "nhanh chóng",
    "kịp thời",
    "chủ động",
    "tích cực",
    "sớm",
    "tiếp tục",
    "quyết liệt",
    "tập trung",
    "đẩy mạnh",
    "tăng cường",
    "quan tâm",
    "chú trọng",
    "siết chặt",
    "nghiêm túc",
    "thường xuyên",
    "có giải pháp",
)
# Verbs a leader or a reporter says of others, which open no instruction.
NOT_INSTRUCTIONS = (
    "kết luận",
    "phát biểu",
    "ghi nhận",
    "biểu dương",
    "đánh giá",
    "nhấn mạnh",
    "kiến nghị",
    "đề xuất",
    "thảo luận",
    "tham dự",
    "dự và",
    "chia sẻ",
    "cho chủ trương",
    "đến nay",
    "bên cạnh",
    "hiện nay",
    "hiện có",
    "hiện đang",
    "qua",
    "theo đó",
    "tuy nhiên",
    "thực hiện kế hoạch",
    "làm việc",
    "tin, ảnh",
    "cập nhật",
)


_OPENS_INSTRUCTION = re.compile(r"^(?:" + "|".join(map(re.escape, IMPERATIVE_OPENERS)) + r")(?=\W|$)")
_OPENS_OTHER = re.compile(r"^(?:" + "|".join(map(re.escape, NOT_INSTRUCTIONS)) + r")(?=\W|$)")


def normalise(text: str) -> str:
    """NFC, one kind of space, Unix line ends: Word, PDF and web copies differ only in these."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))


def paragraphs(text: str) -> list[str]:
    """The paragraphs of ``text``: non-empty lines, a line that starts in lower case joined to the
    one before (a page break in a PDF or a broken copy: "… bảo đảm an" / "toàn, an ninh mạng")."""
    found: list[str] = []
    for line in normalise(text).split("\n"):
        if not line:
            continue
        if found and _CONTINUES.match(line) and not found[-1].endswith((".", ":", ";", "./.")):
            found[-1] = f"{found[-1]} {line}"
        else:
            found.append(line)
    return found


def fold(text: str) -> str:
    """Lower-case ASCII, one character for one character, so positions in the folded text are
    positions in ``text``: "Sở TT&TT" → "so tt&tt"."""
    out = []
    for char in text:
        folded = unidecode(char).lower()
        out.append(folded[:1] if folded else " ")
    return "".join(out)


def words(text: str) -> list[str]:
    return re.findall(r"\w+", fold(text))


@lru_cache(maxsize=4096)
def _pos_tags(sentence: str) -> tuple[tuple[str, str], ...]:
    from underthesea import pos_tag

    return tuple((word, tag) for word, tag in pos_tag(sentence))


def sentences(text: str) -> list[str]:
    """Sentences of a paragraph (underthesea's splitter, which knows "TP." and "v.v.")."""
    from underthesea import sent_tokenize

    return [s.strip() for s in sent_tokenize(text) if s.strip()]


def _strip_lead_in(clause: str) -> str:
    # "Ngoài ra, …", "Đồng thời, …", "Bước vào năm 2021, …" introduce, they do not instruct.
    return re.sub(
        r"^(?:ngoài ra|đồng thời|bên cạnh đó|mặt khác|trong thời gian tới)\s*,\s*", "", clause, flags=re.I
    )


def is_instruction(clause: str) -> bool:
    """Whether ``clause`` opens with an instruction: a verb or an imperative adverb, not one of the
    verbs a leader says of others ("ghi nhận", "nhấn mạnh") nor a reporter's lead-in."""
    clause = _strip_lead_in(clause.strip(" -–•+*\t"))
    lowered = clause.lower()
    if not lowered or len(lowered.split()) < 3:
        return False
    if _OPENS_OTHER.match(lowered):
        return False
    if _OPENS_INSTRUCTION.match(lowered):
        return True
    tags = _pos_tags(clause[:200])
    return bool(tags) and tags[0][1] == "V"


def instruction_clauses(sentence: str) -> list[str]:
    """The instructions of one sentence: split at ";" where each part is an instruction."""
    parts = [part.strip(" ;") for part in sentence.split(";")]
    found: list[str] = []
    for part in parts:
        if not part:
            continue
        if found and not is_instruction(part):
            # A ";" inside one instruction ("…, nhất là …; …"): keep it with the instruction before.
            found[-1] = f"{found[-1]}; {part}"
        else:
            found.append(part)
    return found


def tidy(clause: str) -> str:
    """An instruction as a task's content: capitalised, no trailing punctuation or "./."."""
    clause = _strip_lead_in(clause.strip()).strip(" ,;–-")
    clause = re.sub(r"(?:\./\.|\.\.\.|…|\.)+$", "", clause).strip()
    return clause[:1].upper() + clause[1:]


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def split_conjoined(text: str) -> list[str]:
    """ ", đồng thời nhấn mạnh …" ends an instruction when what follows is said by the leader."""
    head, sep, tail = text.partition(", đồng thời ")
    if not sep:
        return [text]
    if is_instruction(tail):
        return [head, *split_conjoined(tail)]
    return [head]
