"""The visible part of a signature, laid out as Decree 30/2020 Appendix I describes.

- The competent person's signature is blue; it is a text stamp (name, position, agency, time)
  in the right two thirds of its box, leaving the left third free for the seal.
- The agency's signature is red and overlaps about one third of the person's signature on the
  left: the agency name and the signing time (ISO 8601, +07:00) in 10 pt inside a red box.

Liberation Serif is metric-compatible with Times New Roman, the font the decree prescribes.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import tempfile
import textwrap
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _
from fontTools.ttLib import TTFont  # type: ignore[import-untyped]
from fontTools.ttLib.scaleUpem import scale_upem  # type: ignore[import-untyped]
from pyhanko.pdf_utils import layout
from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.stamp import TextStampStyle

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
FONT_DIRS = ("/usr/share/fonts/truetype/liberation2", "/usr/share/fonts/truetype/liberation")
FONT_FILE = "LiberationSerif-Regular.ttf"
BLUE = (0.0, 0.2, 0.75)
RED = (0.85, 0.0, 0.0)
FONT_SIZE = 10
LEADING = 12
PADDING = 4

PERSON_WIDTH = 225
AGENCY_WIDTH = 165
RIGHT_MARGIN = 45  # points from the right edge of the page (about 16 mm)
BOTTOM = 40  # points from the bottom edge of the page

Box = tuple[int, int, int, int]


@dataclass(frozen=True)
class Placement:
    """Where the person's signature goes: page index (negative counts from the end), and the
    right and bottom edges of its box in points from the page's lower-left corner."""

    page: int = -1
    right: int | None = None
    bottom: int = BOTTOM


@dataclass(frozen=True)
class StampSpec:
    box: Box
    text: str
    style: TextStampStyle


def signing_time_text(moment: dt.datetime) -> str:
    """ISO 8601 in Vietnam time, e.g. ``2026-11-22T09:30:00+07:00``."""
    return moment.astimezone(VIETNAM).isoformat(timespec="seconds")


def _source_font() -> Path:
    configured: str = getattr(settings, "CONGSO_SLIP_FONT_DIR", "")
    for folder in (configured,) if configured else FONT_DIRS:
        path = Path(folder) / FONT_FILE
        if path.is_file():
            return path
    raise ImproperlyConfigured(f"{FONT_FILE} not found in {FONT_DIRS}: install fonts-liberation2")


@functools.cache
def font_path() -> str:
    """The font rescaled to 1000 units per em.

    pyHanko writes a TrueType font's glyph widths in font units, but PDF reads them in
    thousandths of an em; Liberation Serif has 2048 units per em, so its letters would stand
    twice as far apart. A copy with 1000 units per em is made once and kept in a cache folder.
    """
    source = _source_font()
    folder = Path(tempfile.gettempdir()) / "congso-fonts"
    target = folder / f"{source.stem}-{source.stat().st_size}-upem1000.ttf"
    if not target.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        font = TTFont(str(source))
        scale_upem(font, 1000)
        temporary = folder / f".{target.name}.{os.getpid()}"
        font.save(str(temporary))
        temporary.replace(target)
    return str(target)


def _style(*, color: tuple[float, float, float], text_left: int, border: int) -> TextStampStyle:
    return TextStampStyle(
        stamp_text="%(text)s",
        border_width=border,
        border_color=color if border else None,
        background=None,
        text_box_style=TextBoxStyle(
            font=GlyphAccumulatorFactory(font_path(), font_size=FONT_SIZE),
            font_size=FONT_SIZE,
            leading=LEADING,
            text_color=color,
            box_layout_rule=layout.SimpleBoxLayoutRule(
                x_align=layout.AxisAlignment.ALIGN_MIN, y_align=layout.AxisAlignment.ALIGN_MID
            ),
        ),
        inner_content_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MIN,
            y_align=layout.AxisAlignment.ALIGN_MID,
            margins=layout.Margins(left=text_left, right=PADDING, top=PADDING, bottom=PADDING),
            # Decree 30 asks for 10 pt: the boxes are sized to the text, never the text to the box.
            inner_content_scaling=layout.InnerScaling.NO_SCALING,
        ),
    )


def _lines(parts: list[str], width_points: int) -> list[str]:
    # Liberation Serif at 10 pt averages about 4.8 points a character in Vietnamese text.
    chars = max(12, int(width_points / 4.8))
    lines: list[str] = []
    for part in parts:
        if part:
            lines.extend(textwrap.wrap(part, width=chars) or [""])
    return lines


def _escape(lines: list[str]) -> str:
    return "\n".join(lines).replace("%", "%%")


def person_stamp(
    *, page_width: float, placement: Placement, name: str, title: str, agency_name: str, moment: dt.datetime
) -> StampSpec:
    text_left = PERSON_WIDTH // 3 + PADDING
    lines = _lines(
        [
            _("Ký bởi: %(name)s") % {"name": name},
            title,
            agency_name,
            _("Thời gian ký: %(time)s") % {"time": signing_time_text(moment)},
        ],
        PERSON_WIDTH - text_left - PADDING,
    )
    height = len(lines) * LEADING + 2 * PADDING + 4
    right = placement.right if placement.right is not None else int(page_width) - RIGHT_MARGIN
    box = (right - PERSON_WIDTH, placement.bottom, right, placement.bottom + height)
    return StampSpec(box=box, text=_escape(lines), style=_style(color=BLUE, text_left=text_left, border=0))


def agency_stamp(*, person_box: Box, agency_name: str, moment: dt.datetime) -> StampSpec:
    """The red box, its right edge one third into the person's signature."""
    lines = _lines([agency_name, signing_time_text(moment)], AGENCY_WIDTH - 2 * PADDING - 2)
    height = len(lines) * LEADING + 2 * PADDING + 2
    width = min(AGENCY_WIDTH, int(max(len(line) for line in lines) * 5.0) + 2 * PADDING + 6)
    x1, y1, x2, y2 = person_box
    right = x1 + (x2 - x1) // 3
    middle = (y1 + y2) // 2
    box = (right - width, middle - height // 2, right, middle - height // 2 + height)
    return StampSpec(box=box, text=_escape(lines), style=_style(color=RED, text_left=PADDING + 1, border=1))


def agency_stamp_alone(*, person_box: Box, agency_name: str, moment: dt.datetime) -> StampSpec:
    """The agency's red box where a person's signature would stand, when the system issues a
    document with no person signing (an e-receipt of an online payment)."""
    lines = _lines([agency_name, signing_time_text(moment)], AGENCY_WIDTH - 2 * PADDING - 2)
    height = len(lines) * LEADING + 2 * PADDING + 2
    width = min(AGENCY_WIDTH, int(max(len(line) for line in lines) * 5.0) + 2 * PADDING + 6)
    _x1, y1, x2, _y2 = person_box
    box = (x2 - width, y1, x2, y1 + height)
    return StampSpec(box=box, text=_escape(lines), style=_style(color=RED, text_left=PADDING + 1, border=1))
