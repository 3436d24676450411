"""The committed app icon files: what packaging/make_icons.py wrote from resources/icons/private-assistant.svg.

Pillow only (no Qt), so this runs in the core suite.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PIL import Image

ICONS = Path(__file__).resolve().parents[2] / "resources" / "icons"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512, 1024)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


@pytest.mark.parametrize("size", PNG_SIZES)
def test_png_has_its_size_a_transparent_corner_and_an_opaque_centre(size: int) -> None:
    with Image.open(ICONS / f"private-assistant-{size}.png") as image:
        assert image.format == "PNG" and image.size == (size, size)
        alpha = image.convert("RGBA").getchannel("A")
    assert alpha.getpixel((0, 0)) == 0  # outside the rounded corner
    assert alpha.getpixel((size - 1, size - 1)) == 0
    assert alpha.getpixel((size // 2, size // 2)) == 255


def test_ico_holds_the_windows_sizes() -> None:
    with Image.open(ICONS / "private-assistant.ico") as ico:
        assert ico.format == "ICO"
        assert sorted(ico.info["sizes"]) == [(size, size) for size in ICO_SIZES]
        ico.load()
        assert ico.size == (256, 256)


def test_icns_opens_at_1024() -> None:
    with Image.open(ICONS / "private-assistant.icns") as icns:
        assert icns.format == "ICNS"
        assert (512, 512, 2) in icns.info["sizes"]  # ic10: 512 pt at 2x, 1024 px
        icns.load()
        assert icns.size == (1024, 1024)
        assert icns.convert("RGBA").getchannel("A").getpixel((512, 512)) == 255


def test_svg_uses_only_what_qtsvg_tiny_draws() -> None:
    root = ET.parse(ICONS / "private-assistant.svg").getroot()
    tags = {element.tag.rsplit("}", 1)[-1] for element in root.iter()}
    assert not tags & {"filter", "mask", "clipPath", "style", "image", "use", "text", "pattern"}
    attributes = {key.rsplit("}", 1)[-1] for element in root.iter() for key in element.attrib}
    assert not attributes & {"style", "class", "href", "filter", "mask", "clip-path"}
