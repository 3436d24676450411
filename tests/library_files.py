"""Real documents made by the tests: PDFs (reportlab), DOCX (python-docx), Markdown, text."""

from __future__ import annotations

from pathlib import Path

TERN_FACT = "The arctic tern migrates about seventy thousand kilometres every year between the poles."
PAGES = [
    "Seabirds of the North Atlantic. An introduction to puffins, gannets and guillemots.",
    "Puffins nest in burrows on grassy cliff tops and carry several fish crosswise in their beaks.",
    TERN_FACT + " It sees more daylight than any other animal.",
    "Gannets dive from thirty metres and hit the water at eighty kilometres per hour.",
]


def make_pdf(path: Path, pages: list[str]) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=A4)
    for text in pages:
        y = 800
        for line in _wrap(text, 80):
            pdf.drawString(60, y, line)
            y -= 16
        pdf.showPage()
    pdf.save()
    return path


def make_docx(path: Path, heading: str, paragraphs: list[str]) -> Path:
    import docx

    document = docx.Document()
    document.add_heading(heading, level=1)
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    document.save(str(path))
    return path


def make_corpus(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "pdf": make_pdf(folder / "seabirds.pdf", PAGES),
        "docx": make_docx(
            folder / "garden.docx",
            "Growing tomatoes",
            ["Tomatoes need at least six hours of direct sun.", "Water them deeply twice a week."],
        ),
        "md": folder / "bread.md",
        "txt": folder / "bikes.txt",
    }
    files["md"].write_text(
        "# Sourdough\n\n## Starter\n\nFeed the starter with equal weights of flour and water every day.\n\n"
        "## Baking\n\nBake the loaf at 250 degrees Celsius for twenty minutes with the lid on.\n"
    )
    files["txt"].write_text(
        "Bicycle maintenance.\n\nKeep the chain clean and lubricated; inflate road tyres to six bar.\n"
    )
    return files


def _wrap(text: str, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line] if line else lines
