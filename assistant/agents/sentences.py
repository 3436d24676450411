"""Sentences, citations and comparable words of an answer or a passage, in any language.

Checking an answer against its sources needs three things that must not assume English:
where a sentence ends (". " and "다. " but also "。" with no space, a list item, a command on its
own line), which sources a sentence cites ("[2]", "[1, 3]", "[Source 2]"), and which of its words
carry meaning. Latin words are lower-cased and lightly stemmed; Hangul, kana and Han are written
without spaces between words (or with particles glued on), so they are compared as character
bigrams, which match a noun with and without its particle ("보고서를" shares "보고", "고서" with
"보고서").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# [1], [1, 3], [1][2], [2-3], [Source 2] (small models write this), 【1】
_CITATION = re.compile(r"[\[【]\s*(?:sources?\s*)?(\d{1,3}(?:\s*[,;–-]\s*(?:sources?\s*)?\d{1,3})*)\s*[\]】]", re.I)
_LEADING_CITATIONS = re.compile(r"^(?:\s*[\[【]\s*(?:sources?\s*)?\d{1,3}(?:\s*[,;–-]\s*\d{1,3})*\s*[\]】])+\s*", re.I)
_FENCE = re.compile(r"^\s*(```|~~~)")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+•]|\d{1,3}[.)])\s+")
_HEADING = re.compile(r"^\s*#{1,6}\s+")
_QUOTE = re.compile(r"^\s*>\s?")
_CODE_LINE = re.compile(r"^\s*`[^`]+`\s*[.:]?\s*$")
_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_PROMPT = re.compile(r"^\s*(?:>>>|\.\.\.)(?:\s|$)")  # a Python prompt line, as docstrings and Sphinx pages show code
# A reStructuredText directive (".. note::", ".. code-block:: python"): markup, not a sentence.
_DIRECTIVE = re.compile(r"^\s*\.\.\s+([\w:-]+)::")
_CODE_DIRECTIVES = {"code-block", "code", "sourcecode", "doctest", "testcode", "testoutput", "literalinclude"}
# One-letter markup inside a word, as tldr pages write "E[x]tract" or "[c]reate".
_LETTER_MARKUP = re.compile(r"(?<=[^\W\d_])\[([^\W\d_]{1,3})\]|\[([^\W\d_]{1,3})\](?=[^\W\d_])")
# A sentence ends at . ! ? (then space) or at the CJK full stops (no space needed).
_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+|(?<=[。！？])\s*")
_ABBREVIATIONS = {
    "e.g", "i.e", "etc", "vs", "mr", "mrs", "ms", "dr", "prof", "st", "no", "nr", "fig", "approx", "inc",
    "ltd", "jr", "sr", "cf", "al", "ca", "resp", "vol", "p", "pp",
}  # fmt: skip
_NUMBER = re.compile(r"(?<![^\W\d_])(?<![\d.,])\d+(?:[.,]\d+)*")
_WORD = re.compile(r"\w+")


_CJK_CHARS = "\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_SCRIPT_RUN = re.compile(f"[{_CJK_CHARS}]+|[^{_CJK_CHARS}]+")
_CJK_CHAR = re.compile(f"[{_CJK_CHARS}]")


def _cjk(char: str) -> bool:
    """Hangul, kana or Han: scripts written without spaces between words (or with particles glued on)."""
    return bool(_CJK_CHAR.match(char))


@dataclass(frozen=True)
class Segment:
    """One sentence (or list item, heading, code line) of a text.

    ``text`` is as written, citations included; ``code`` is True for a line of code.
    """

    text: str
    code: bool = False
    indent: int = 0  # a code line's indentation as written (its text is stripped)


def clean_markup(text: str) -> str:
    """Text as a reader sees it: "E[x]tract" becomes "Extract" (tldr's mnemonic letters)."""
    return _LETTER_MARKUP.sub(lambda m: m.group(1) or m.group(2), text)


def citations(text: str) -> list[int]:
    """The source numbers ``text`` cites, in order, each once ("[1-3]" is 1, 2, 3)."""
    found: list[int] = []
    for match in _CITATION.finditer(text):
        for part in re.split(r"\s*[,;]\s*", match.group(1)):
            ends = [int(n) for n in re.findall(r"\d+", part)]
            numbers = list(range(ends[0], ends[-1] + 1)) if len(ends) == 2 and 0 < ends[1] - ends[0] < 10 else ends
            found.extend(n for n in numbers if n not in found)
    return found


def strip_marker(line: str) -> str:
    """A line without its list bullet, heading hashes or quote sign."""
    return _LIST_ITEM.sub("", _HEADING.sub("", _QUOTE.sub("", line))).strip()


def strip_citations(text: str) -> str:
    return re.sub(r"\s+([.,;:!?。])", r"\1", _CITATION.sub("", text)).strip()


def plain(text: str) -> str:
    """The words of a segment without citations, Markdown markers and tldr markup."""
    text = strip_citations(text)
    text = _LIST_ITEM.sub("", _HEADING.sub("", _QUOTE.sub("", text)))
    text = clean_markup(text).replace("**", "").replace("__", "").replace("`", "").replace("{{", "").replace("}}", "")
    return " ".join(text.split())


def split(text: str) -> list[Segment]:
    """The sentences of ``text``: prose split at sentence ends, one segment per list item, heading,
    table row or code line; citations that follow a full stop stay with the sentence before them."""
    blocks: list[Segment] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            blocks.append(Segment("\n".join(paragraph)))  # kept as written: a claim is a piece of the answer
            paragraph.clear()

    fenced = False
    literal: int | None = None  # the indentation a reStructuredText literal block ("::") must exceed
    prompted = False  # in a run of Python prompt lines and their output
    for line in unicodedata.normalize("NFC", text).split("\n"):
        if _FENCE.match(line):
            flush()
            fenced = not fenced
            continue
        stripped = line.strip()
        indent = len(line) - len(line.lstrip())
        if fenced:
            if stripped:
                blocks.append(Segment(stripped, code=True, indent=indent))
            continue
        if literal is not None and (not stripped or indent > literal):
            if stripped:  # a line of the literal block, as code
                flush()
                blocks.append(Segment(stripped, code=True, indent=indent))
            continue
        literal = None
        directive = _DIRECTIVE.match(line)
        if directive:
            flush()
            prompted = False
            literal = indent if directive.group(1) in _CODE_DIRECTIVES else None
            continue
        if _PROMPT.match(line) or (prompted and stripped):
            flush()
            prompted = True
            blocks.append(Segment(stripped, code=True, indent=indent))
            continue
        prompted = False
        if not stripped:
            flush()
        elif _CODE_LINE.match(line):
            flush()
            blocks.append(Segment(stripped, code=True))
        elif _LIST_ITEM.match(line) or _HEADING.match(line) or _TABLE_ROW.match(line):
            flush()
            paragraph.append(stripped)
            if not _LIST_ITEM.match(line):
                flush()
        else:
            paragraph.append(_QUOTE.sub("", stripped) if _QUOTE.match(line) else stripped)
        if stripped.endswith("::"):  # "For example::" introduces an indented literal block
            literal = indent
    flush()
    segments: list[Segment] = []
    for block in blocks:
        for sentence in [block.text] if block.code else _sentences(block.text):
            lead = _LEADING_CITATIONS.match(sentence)
            if lead and segments and not segments[-1].code:
                segments[-1] = Segment(segments[-1].text + " " + lead.group(0).strip())
                sentence = sentence[lead.end() :]
            if sentence.strip():
                segments.append(Segment(sentence.strip(), block.code, block.indent))
    return segments


def _sentences(block: str) -> list[str]:
    out: list[str] = []
    start = 0
    for match in _END.finditer(block):
        end = match.start()
        rest = block[match.end() :]
        head = block[start:end]
        if re.fullmatch(r"\s*(?:[-*+•]\s+)?\d{1,3}\.", head):
            continue  # "1. Open the file": a list number, not a sentence
        if head.endswith((".", "!", "?")) and not head.endswith(("..", "...")):
            word = re.findall(r"[\w.]+$", head[:-1]) if head.endswith(".") else []
            if word and (word[0].lower() in _ABBREVIATIONS or len(word[0]) == 1 and word[0].isalpha()):
                continue
            if rest[:1].islower() and rest[:1].isascii():
                continue  # "e.g. the", a lower-case word cannot start a sentence
        out.append(block[start : match.end()].strip())
        start = match.end()
    out.append(block[start:].strip())
    return [s for s in out if s]


# Function words and the words answers use to talk about themselves: neither is a claim about the documents.
STOP_WORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before being
    below between both but by can could did do does doing done down during each either else few for from
    further had has have having he her here hers herself him himself his how i if in into is it its itself
    just may me might more most must my myself of off on once only or other our ours ourselves out over own
    same shall she should so some such than that the their theirs them themselves then there these they
    this those through to too under until up upon us very was we were what when where which while who whom
    why will with would you your yours yourself yourselves let lets one ones via per
    answer answers question questions source sources document documents passage passages text context
    according based provided information following follows says say said stated states mention mentioned
    mentions sure certainly course hello hi thanks thank yes ok okay here below above hope help helps glad
    happy feel free please great assist welcome anything else further""".split()
)
STOP_GRAMS = frozenset(
    """니다 습니 합니 입니 있습 됩니 했습 였습 었습 하는 하여 하고 에서 으로 그리 리고 있다 하다 한다 했다 것은 것이
    것을 수있 있는 에는 에게 이다 이며 또는 그러 러나 해서 해야 おり ます です した して いる ている てい こと
    もの この その ため まし ある さい""".split()
)  # fmt: skip
NEGATIONS = frozenset(
    "not no never none nobody nothing neither nor without cannot cant dont doesnt didnt isnt arent wasnt "
    "werent wont wouldnt shouldnt couldnt hasnt havent hadnt nicht kein keine nie jamais pas ne ni sin nunca".split()
)
_CJK_NEGATIONS = ("않", "없", "못", "ない", "ません", "不", "没", "沒", "無", "无")


def _stem(word: str) -> str:
    """A light English stemmer: "migrates", "migrated", "migrate" and "migrating" become "migrat"."""
    if not word.isascii() or len(word) <= 3 or not word.isalpha():
        return word
    for suffix in ("ing", "ed", "es", "ly", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    if word.endswith("i"):
        return word[:-1] + "y"  # "flies" and "fly", "cities" and "city"
    return word[:-1] if len(word) > 3 and word.endswith("e") else word


def _tokens(text: str) -> list[str]:
    """Lower-case words (numbers normalised, "3.5" kept whole) and CJK character bigrams."""
    text = unicodedata.normalize("NFKC", clean_markup(text))
    text = re.sub(r"['’]s\b", "", text).replace("'", "").replace("’", "")
    text = _NUMBER.sub(lambda m: " " + _number(m.group(0)).replace(".", "_") + " ", text)
    out: list[str] = []
    for word in _WORD.findall(text.lower()):
        for run in _SCRIPT_RUN.findall(word):
            if _cjk(run[0]):
                out.extend([run] if len(run) == 1 else [run[i : i + 2] for i in range(len(run) - 1)])
            elif run.strip("_"):
                out.append(run)
    return out


def words(text: str) -> list[str]:
    """Comparable units of ``text``: stemmed lower-case words, numbers, CJK character bigrams."""
    return [_stem(t) for t in _tokens(text)]


def content_words(text: str) -> list[str]:
    """:func:`words` without function words, single Latin letters and grammatical CJK bigrams."""
    return [
        _stem(t)
        for t in _tokens(text)
        if t not in STOP_WORDS and t not in STOP_GRAMS and not (len(t) == 1 and t.isascii() and t.isalpha())
    ]


def _number(value: str) -> str:
    value = re.sub(r",(?=\d{3}(?!\d))", "", value)  # thousands separators
    return value.rstrip(".,").replace(",", ".")


def numbers(text: str) -> set[str]:
    """The numbers written in digits ("70,000" and "70000" are one), not those inside words like "mp3"."""
    found = set()
    for match in _NUMBER.finditer(unicodedata.normalize("NFKC", text)):
        found.add(_number(match.group(0)))
    return found


def names(text: str, common: frozenset[str] = frozenset()) -> set[str]:
    """Names in ``text``: capitalised Latin words not at the sentence start (there, only when not a
    function word or in ``common``), acronyms; in a CJK sentence its Latin words, in a Latin sentence
    its CJK words (a Korean name in English text)."""
    text = plain(text)
    tokens = [run for word in re.findall(r"[^\W\d_]+", text) for run in _SCRIPT_RUN.findall(word)]
    cjk_sentence = sum(_cjk(c) for c in text) > len(text) / 4
    found = set()
    for index, token in enumerate(tokens):
        if _cjk(token[0]) != cjk_sentence:
            found.add(token)  # a word in another script: a name or a term, kept as written
        elif not cjk_sentence and token[0].isupper() and len(token) > 1 and token.lower() not in STOP_WORDS:
            if index == 0 and not token.isupper() and (token.lower() in common or _stem(token.lower()) in common):
                continue
            found.add(token)
    return found


def negated(text: str) -> bool:
    """Does the sentence say no ("not", "never", "n't", "않", "ない", "不")?"""
    lowered = text.lower().replace("’", "'")
    if "n't" in lowered or any(w in NEGATIONS for w in re.findall(r"[a-z]+", lowered)):
        return True
    if any(cue in text for cue in _CJK_NEGATIONS):
        return True
    return bool(re.search(r"(?:^|\s)안\s", text))
