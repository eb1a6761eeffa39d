"""Small structural checks of rendered HTML: what a screen reader or a keyboard user relies on."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser

UNLABELLED_INPUT_TYPES = {"hidden", "submit", "button", "reset", "image"}


@dataclass
class PageOutline:
    lang: str | None = None
    h1_count: int = 0
    ids: Counter[str] = field(default_factory=Counter)
    label_for: set[str] = field(default_factory=set)
    controls: list[dict[str, str | None]] = field(default_factory=list)
    landmarks: set[str] = field(default_factory=set)
    links: list[str] = field(default_factory=list)
    images_without_alt: int = 0
    labels_open: int = 0
    wrapped_controls: int = 0

    def unlabelled_controls(self) -> list[dict[str, str | None]]:
        return [
            c
            for c in self.controls
            if not c.get("_wrapped")
            and c.get("id") not in self.label_for
            and not c.get("aria-label")
            and not c.get("aria-labelledby")
        ]

    def duplicate_ids(self) -> list[str]:
        return [i for i, n in self.ids.items() if n > 1]


class _OutlineParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.outline = PageOutline()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        o = self.outline
        if a.get("id"):
            o.ids[a["id"] or ""] += 1
        if tag == "html":
            o.lang = a.get("lang")
        elif tag == "h1":
            o.h1_count += 1
        elif tag == "label":
            o.labels_open += 1
            if a.get("for"):
                o.label_for.add(a["for"] or "")
        elif tag in {"input", "select", "textarea"}:
            if tag == "input" and (a.get("type") or "text") in UNLABELLED_INPUT_TYPES:
                return
            o.controls.append({**a, "_tag": tag, "_wrapped": "yes" if o.labels_open else None})
        elif tag in {"header", "nav", "main", "footer"}:
            o.landmarks.add(tag)
        elif tag == "a" and a.get("href"):
            o.links.append(a["href"] or "")
        elif tag == "img" and a.get("alt") is None:
            o.images_without_alt += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self.outline.labels_open -= 1


def outline(html: str) -> PageOutline:
    parser = _OutlineParser()
    parser.feed(html)
    parser.close()
    return parser.outline


def assert_accessible_page(html: str) -> PageOutline:
    """The smoke check every portal page passes: language, one h1, labelled controls, landmarks."""
    page = outline(html)
    assert page.lang == "vi"
    assert page.h1_count == 1, f"{page.h1_count} h1 elements"
    assert not page.unlabelled_controls(), page.unlabelled_controls()
    assert not page.duplicate_ids(), page.duplicate_ids()
    assert {"header", "nav", "main", "footer"} <= page.landmarks
    assert "#noi-dung" in page.links, "the skip link to the main content is missing"
    assert page.ids["noi-dung"] == 1, "the skip link points nowhere"
    assert page.images_without_alt == 0
    return page
