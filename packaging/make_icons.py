"""Render the app icon, resources/icons/private-assistant.svg, to the files the app and its packages use.

Writes, next to the SVG:

- ``private-assistant-{16,24,32,48,64,128,256,512,1024}.png``, each drawn straight from the SVG at that size
  by QtSvg (antialiased, on a transparent background);
- ``private-assistant.ico`` (Windows: 16 to 256 px) and ``private-assistant.icns`` (macOS: 16 to 1024 px),
  put together by Pillow from those PNGs.

The outputs are committed, so packaging needs neither Qt's SVG renderer nor this script: re-run it after
editing the SVG, and commit what it writes::

    .venv/bin/python packaging/make_icons.py
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
NAME = "private-assistant"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512, 1024)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICNS_SIZE = 1024  # Pillow scales the ICNS sizes it needs (16 to 512) down from this one, or takes the PNGs


def png_path(size: int) -> Path:
    return ICONS / f"{NAME}-{size}.png"


def load_svg(path: Path) -> QSvgRenderer:
    renderer = QSvgRenderer(str(path))
    if not renderer.isValid():
        raise SystemExit(f"{path}: QtSvg cannot read this SVG")
    return renderer


def render(renderer: QSvgRenderer, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    return image.convertToFormat(QImage.Format.Format_ARGB32)


def write_pngs(renderer: QSvgRenderer) -> dict[int, Image.Image]:
    images: dict[int, Image.Image] = {}
    for size in PNG_SIZES:
        path = png_path(size)
        if not render(renderer, size).save(str(path)):  # PNG, from the suffix
            raise SystemExit(f"{path}: could not write it")
        with Image.open(path) as image:
            images[size] = image.convert("RGBA")
    return images


def write_ico(images: dict[int, Image.Image]) -> Path:
    path = ICONS / f"{NAME}.ico"
    largest = images[max(ICO_SIZES)]
    others = [images[size] for size in ICO_SIZES if size != max(ICO_SIZES)]
    largest.save(path, format="ICO", sizes=[(size, size) for size in ICO_SIZES], append_images=others)
    return path


def write_icns(images: dict[int, Image.Image]) -> Path:
    path = ICONS / f"{NAME}.icns"
    others = [image for size, image in images.items() if size != ICNS_SIZE]
    images[ICNS_SIZE].save(path, format="ICNS", append_images=others)
    return path


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QGuiApplication(sys.argv[:1])  # QtGui's painting wants an application object
    images = write_pngs(load_svg(ICONS / f"{NAME}.svg"))
    written = [png_path(size) for size in PNG_SIZES] + [write_ico(images), write_icns(images)]
    for path in written:
        print(f"{path.relative_to(ICONS.parent.parent)}  {path.stat().st_size:,} bytes")
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
