"""Colours every report shares: the Okabe-Ito palette, which stays distinguishable under the
common colour-vision deficiencies (Okabe & Ito 2008, "Color Universal Design").

Colour never carries meaning alone: every coloured mark also has a label or a legend entry.
"""

from __future__ import annotations

# Order matters: the first colours are the most distinct from each other for 2-3 series.
OKABE_ITO = [
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow
    "#000000",  # black
]
GREY = "#999999"

# Meaning-bearing colours used across reports, each from the palette above.
GOOD = "#009E73"
BAD = "#D55E00"
NEUTRAL = "#0072B2"
IN_PROGRESS = "#56B4E9"


def series_colours(names) -> dict[str, str]:
    """A stable colour per series name: sorted, then the palette in order (cycling past 8)."""
    return {name: OKABE_ITO[i % len(OKABE_ITO)] for i, name in enumerate(sorted(set(names)))}


def _luminance(hex_colour: str) -> float:
    """WCAG relative luminance of an #RRGGBB colour."""
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_colour_on(background: str) -> str:
    """Black or white, whichever reads better on `background` (WCAG contrast)."""
    return "#000000" if contrast_ratio(background, "#000000") >= contrast_ratio(
        background, "#FFFFFF") else "#FFFFFF"
