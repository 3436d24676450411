"""Document titles and chunk headers: what the index and the embedder see beside each passage."""

from __future__ import annotations

from assistant.library.titles import chunk_header, document_title, file_words, place_words

PEP_STYLE = """PEP: 8
Title: Style Guide for Python Code
Author: Guido van Rossum <guido@python.org>,
        Barry Warsaw <barry@python.org>
Status: Active

Introduction
"""


def test_a_title_field_at_the_top_names_the_document() -> None:
    assert document_title(PEP_STYLE, ("Introduction",), "peps/pep-0008.rst") == "Style Guide for Python Code"


def test_yaml_front_matter_and_rst_fields_give_the_title() -> None:
    front = '---\nlayout: post\ntitle: "Backing up the laptop"\ntags: [admin]\n---\n\nFirst we...'
    assert document_title(front, ("Steps",), "notes/2024-05-01.md") == "Backing up the laptop"
    assert document_title(":title: Travel budget\n:author: Min\n\nTotals", (), "b.rst") == "Travel budget"


def test_without_a_title_field_the_first_heading_then_the_file_name() -> None:
    assert document_title("Dear Sam: thanks for the plants.\n", ("Letters",), "a.md") == "Letters"
    assert document_title("Title appears later\nTitle: not a field block", (), "x.txt") == "x"
    assert document_title("plain words", (), "/home/min/disk-usage_report.txt") == "disk usage report"


def test_a_title_field_below_the_opening_block_is_body_text() -> None:
    text = "Some notes.\n\nTitle: this line is part of the notes\n"
    assert document_title(text, (), "/d/meeting.txt") == "meeting"


def test_the_header_leaves_out_a_first_heading_that_repeats_the_title() -> None:
    headings = ("Using Coordinate Frames", "Frame Objects", "Frames without Data")
    assert chunk_header("Using coordinate frames", headings) == (
        "Using coordinate frames — Frame Objects > Frames without Data"
    )
    assert chunk_header("Style Guide", ("Indentation",)) == "Style Guide — Indentation"
    assert chunk_header("Style Guide", ()) == "Style Guide"
    assert chunk_header("", ("Only", "Headings")) == "Only > Headings"


def test_place_words_name_the_folder_and_file() -> None:
    assert place_words("/docs/coordinates/frames.rst") == "coordinates frames"
    assert file_words("pep-0008.rst") == "pep 0008"
