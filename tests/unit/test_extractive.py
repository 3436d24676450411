"""The quoted lead: which passage line a small model's answer starts with, and how it is shown."""

from __future__ import annotations

from markdown_it import MarkdownIt

from assistant.agents import claims, extractive, sentences
from assistant.agents.claims import Evidence
from tests.unit.test_claims import fake_embed

# The same two lines on two pages: only the page says which one answers "on Debian".
CARGO = "# cargo\n\n- List all installed packages and their versions:\n\n`cargo install --list`\n"
DPKG = "# dpkg\n\n- List all installed packages and their versions:\n\n`dpkg --list`\n"
SPHINX = """Working with headers
====================

A header keyword's value is read like a dictionary's value, by
its keyword, and the header is shown in full with ``repr``::

    >>> hdul = fits.open(fits_image_filename)
    >>> hdul[0].header['DATE']
    '01/04/99'

.. note::

    Keywords are case-insensitive.

We can tell SymPy that a symbol represents a positive real number when
creating the symbol and then the simplification will happen automatically:

    >>> y = Symbol('y', positive=True)
    >>> sqrt(y**2)
    y
"""


def test_python_prompts_and_literal_blocks_are_code_and_directives_are_not_sentences() -> None:
    segments = sentences.split(SPHINX)
    code = [s.text for s in segments if s.code]
    assert code == [
        ">>> hdul = fits.open(fits_image_filename)",
        ">>> hdul[0].header['DATE']",
        "'01/04/99'",
        ">>> y = Symbol('y', positive=True)",
        ">>> sqrt(y**2)",
        "y",
    ]
    prose = [s.text for s in segments if not s.code]
    assert not any(".. note::" in text for text in prose)
    assert "Keywords are case-insensitive." in prose


def test_a_description_is_quoted_on_one_line_with_the_code_it_introduces() -> None:
    question = "How do I tell SymPy that a symbol is a positive real number?"
    quotes = extractive.best_quotes(question, Evidence([SPHINX], fake_embed))
    assert quotes
    first, *code = quotes[0].text.split("\n")
    assert first == (
        "We can tell SymPy that a symbol represents a positive real number when creating the symbol "
        "and then the simplification will happen automatically:"
    )
    assert code == [">>> y = Symbol('y', positive=True)", ">>> sqrt(y**2)", "y"]  # the whole example
    assert quotes[0].code == 3


# A sentence that ends in "." introduces the code under it too; the answer is on the example's third line.
TABLE = """Modifying a table
=================

Replace, add, remove, and rename columns as follows.

    >>> t['b'] = ['a', 'new', 'dtype']
    >>> t['e'] = [1, 2, 3]
    >>> t.remove_column('c')
    >>> t.rename_column('a', 'A')
    >>> t.colnames
    ['A', 'b', 'd', 'e']
    >>> t.info
    >>> t.meta
"""


def test_the_example_under_a_sentence_is_quoted_with_it_as_a_code_block_up_to_six_lines() -> None:
    quotes = extractive.best_quotes("How do I remove a column from a table?", Evidence([TABLE], fake_embed))
    assert quotes and quotes[0].text.startswith("Replace, add, remove, and rename columns as follows.\n")
    code = quotes[0].text.split("\n")[1:]
    assert code[2] == ">>> t.remove_column('c')"
    assert len(code) == claims.CODE_LINES and ">>> t.meta" not in quotes[0].text
    lead = extractive.lead_text(quotes[:1])
    assert lead.split("\n") == [
        "> Replace, add, remove, and rename columns as follows. [1]",
        "> ```",
        *(f"> {line}" for line in code),
        "> ```",
    ]


def test_a_python_prompt_quoted_alone_is_shown_as_code_with_its_prompt() -> None:
    passage = ">>> del t['c']  # delete column c from table t\n"
    quotes = extractive.best_quotes("delete column c from table t", Evidence([passage], fake_embed))
    assert quotes and quotes[0].text == ">>> del t['c']  # delete column c from table t"
    lead = extractive.lead_text(quotes[:1])
    assert lead.split("\n") == ["> ```", "> >>> del t['c']  # delete column c from table t", "> ```", ">", "> [1]"]
    shown = MarkdownIt("commonmark").render(lead)  # as the window parses it: a code block, not nested quotes
    assert "<pre" in shown and "&gt;&gt;&gt; del t[" in shown and shown.count("<blockquote>") == 1


# A fenced example keeps its indentation when quoted: people copy it.
LOOP = """Looping
=======

To print every row of a table, loop over it:

```python
for row in table:
    if row["flux"] > 0:
        print(row)
```
"""


def test_quoted_code_keeps_its_indentation() -> None:
    quotes = extractive.best_quotes("How do I print every row of a table?", Evidence([LOOP], fake_embed))
    assert quotes and quotes[0].text.split("\n")[1:] == [
        "for row in table:",
        '    if row["flux"] > 0:',
        "        print(row)",
    ]


def test_a_line_of_code_longer_than_the_quote_allows_is_not_quoted_with_its_sentence() -> None:
    passage = "Minified:\n\n    x = [" + ", ".join(str(n) for n in range(200)) + "]\n"
    units = claims.passage_units(0, passage)
    assert units[0].text == "Minified:" and units[0].code == 0


def test_the_line_from_the_page_the_search_ranked_closer_is_quoted() -> None:
    question = "List every package installed on my Debian box"
    evidence = Evidence([CARGO, DPKG], fake_embed)
    quotes = extractive.best_quotes(question, evidence, headings=["cargo", "dpkg"], relevance=[0.45, 0.62])
    assert quotes and quotes[0].source == 2
    assert quotes[0].text.endswith("`dpkg --list`")
