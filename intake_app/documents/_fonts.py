"""The one Japanese font, registered once per process and subset-embedded in every PDF."""

from __future__ import annotations

import threading

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from intake_app.paths import font_path

FONT = "IPAexGothic"
_lock = threading.Lock()
_registered = False


def ensure_font() -> str:
    """Register IPAexGothic on first use (reading the TTF once) and return its name.

    reportlab embeds TrueType fonts as subsets (FontFile2), so each PDF carries only
    the glyphs it uses and prints the same on any PC, whatever fonts it has.
    """
    global _registered
    if _registered:
        return FONT
    with _lock:
        if not _registered:
            pdfmetrics.registerFont(TTFont(FONT, str(font_path())))
            _registered = True
    return FONT
