"""Stop a reply once the model starts repeating itself, and keep what came before the loop.

Small models fall into loops (the bundled one printed "Yours in the garden." on forty lines
until the token limit), and a loop only ends at the limit: the person waits for nothing. The
guard watches the answer as it streams and trips on either of two signs:

- **The same line three times in a row** (:data:`LINE_COPIES`). Lines are compared with their
  inner whitespace collapsed and a leading list marker ("- ", "* ", "1. ", "2) ") dropped, so a
  numbered list that repeats one item counts; indentation is kept, so closing tags at different
  depths do not. Blank lines between the copies do not break the run. A line with fewer than
  :data:`MIN_LINE_LETTERS` letters (any script) needs :data:`TRIVIAL_LINE_COPIES` copies: "}",
  "---", "| --- |" or a row of numbers repeat legitimately in code and tables, but not a dozen
  times in a row (the bundled model can print an empty code fence, "```", until its token limit).
- **The same run of words three times in a row, :data:`MIN_LOOP_WORDS` words in all**. A word
  is what whitespace separates, except that each Han, kana or Thai character counts as one (those
  scripts put no spaces between words; Hangul does). So a unit of eight words or more trips at
  its third copy, a shorter one ("A:") once 24 words of it have come; units of up to
  :data:`MAX_UNIT_WORDS` words are watched, and a unit without a letter (table rules, zeros)
  never trips.

Two copies are normal in good text (a refrain, a table row, a list whose items begin alike);
three identical lines, or three copies of a phrase of eight words, in one reply are a loop.
Code is different: argument lists ("None,", "None,", "None,") and tables of values repeat
lines for real (in about 1% of Python files, three or more identical lines in a row; six or
more in under 0.1%). Inside a fenced code block (``` or ~~~) both signs therefore need
:data:`CODE_COPIES` copies, and a run of words twice as many words.

What is kept: everything before the loop and one copy of the repeated part, ending at the end
of a sentence where the unit has one. :meth:`LoopGuard.feed` returns only text that a later trip
can no longer cut, so what a reader was shown never has to be taken back: held back, briefly,
are the word being written, words that so far repeat those shortly before them, and the next
line while it reads like the previous one.
"""

from __future__ import annotations

import re

REPETITION = "repetition"  # Stopped.reason / Finished.stopped when the guard tripped
REPETITION_NOTICE = "stopped: the model began repeating itself"  # the reply's footer

LINE_COPIES = 3
MIN_LINE_LETTERS = 4
TRIVIAL_LINE_COPIES = 12  # for a line with fewer letters than that, in or out of code
LOOP_COPIES = 3
MIN_LOOP_WORDS = 24
CODE_COPIES = 6  # inside a fenced code block, for lines and runs of words (of 2 * MIN_LOOP_WORDS)
MAX_UNIT_WORDS = 100

# Scripts written without spaces between words: each character is a word of its own.
_UNSPACED = "\u0e00-\u0e7f\u3001-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_WORD = re.compile(rf"[{_UNSPACED}]|[^\s{_UNSPACED}]+")
_UNSPACED_CHAR = re.compile(rf"[{_UNSPACED}]")
_MARKER = re.compile(r"(?:[-*+•·]|\d{1,3}[.)]|\(\d{1,3}\))\s+")
_MARKER_STARTED = re.compile(r"[-*+•·]|\d{1,3}[.)]?|\(\d{0,3}\)?")
_FENCE = re.compile(r"\s*(```|~~~)")
_SENTENCE_END = ".!?。！？…"
_CLOSERS = "\"')]}»”’」』"


class LoopGuard:
    """Feed it the answer as it streams; it says what is safe to show and when to stop.

    ``feed`` returns the newly settled text (show it); once :attr:`tripped`, generation should
    stop and :attr:`kept` is the reply to keep, equal to all the text ``feed`` returned. Without
    a trip, call :meth:`finish` at the end for the text still held back.
    """

    def __init__(self) -> None:
        self.text = ""
        self.tripped = False
        self._cut = 0  # where the kept text ends, once tripped
        self._released = 0  # the text before this offset was returned by feed
        # words: their text and where each ends; _match[p]: how many of the last words equal
        # the word p before them (a run with period p is _match[p] + p words long)
        self._words: list[str] = []
        self._starts: list[int] = []
        self._ends: list[int] = []
        self._match = [0] * (MAX_UNIT_WORDS + 1)
        self._scan = 0  # where the next word search starts
        # lines: the current run of equal lines
        self._line_start = 0
        self._run_key: tuple[str, str] | None = None  # (indentation, normalized text)
        self._run_count = 0
        self._run_first_end = 0  # where the first line of the run ends (before its newline)
        self._in_code = False  # inside a fenced code block

    @property
    def kept(self) -> str:
        """The reply to keep: all of it, or once tripped, up to the end of the first copy."""
        return self.text[: self._cut] if self.tripped else self.text

    def feed(self, piece: str) -> str:
        """Add a streamed piece of the answer; returns the text that is now safe to show."""
        if self.tripped or not piece:
            return ""
        self.text += piece
        cuts = [cut for cut in (self._scan_lines(), self._scan_words()) if cut is not None]
        if cuts:
            self.tripped = True
            self._cut = max(min(cuts), self._released)  # never take back what was shown
            return self._release(self._cut)
        return self._release(self._settled())

    def finish(self) -> str:
        """The end of the stream: the text still held back (nothing once tripped)."""
        return "" if self.tripped else self._release(len(self.text))

    def _release(self, upto: int) -> str:
        if upto <= self._released:
            return ""
        out = self.text[self._released : upto]
        self._released = upto
        return out

    # -- repeated runs of words -------------------------------------------------------

    def _scan_words(self) -> int | None:
        """Take in the words completed by the new text; where to cut if a loop shows."""
        cut = None
        for m in _WORD.finditer(self.text, self._scan):
            if m.end() == len(self.text) and not _UNSPACED_CHAR.fullmatch(m.group()):
                break  # the word may go on in the next piece
            self._scan = m.end()
            found = self._add_word(m.group(), m.start(), m.end())
            if cut is None and found is not None:
                cut = found
        return cut

    def _add_word(self, word: str, start: int, end: int) -> int | None:
        words, match = self._words, self._match
        words.append(word)
        self._starts.append(start)
        self._ends.append(end)
        n = len(words)
        longest = min(MAX_UNIT_WORDS, n - 1)
        for p in range(1, longest + 1):
            match[p] = match[p] + 1 if words[n - 1] == words[n - 1 - p] else 0
        copies, least = (CODE_COPIES, 2 * MIN_LOOP_WORDS) if self._in_code else (LOOP_COPIES, MIN_LOOP_WORDS)
        for p in range(1, longest + 1):
            run = match[p] + p
            if run >= copies * p and run >= least and _has_letter(words[n - p :]):
                return self._word_cut(n - run, p)
        return None

    def _word_cut(self, start: int, period: int) -> int:
        """Where to cut a run of ``period``-word copies starting at word ``start``: after one copy.

        The copies may be counted from mid-sentence (a run begins wherever the words start to
        match), so the cut moves forward, within the next copy, to the first end of a sentence.
        """
        first = start + period
        for end in range(first, first + period):
            word = self._words[end - 1].rstrip(_CLOSERS)
            if word and word[-1] in _SENTENCE_END or "\n" in self.text[self._ends[end - 1] : self._starts[end]]:
                return self._ends[end - 1]
        return self._ends[first - 1]

    # -- repeated lines ---------------------------------------------------------------

    def _scan_lines(self) -> int | None:
        """Take in the lines completed by the new text; where to cut if one repeats."""
        while True:
            newline = self.text.find("\n", self._line_start)
            if newline < 0:
                return None
            line = self.text[self._line_start : newline].rstrip()
            start, self._line_start = self._line_start, newline + 1
            if not line.strip():
                continue  # blank lines do not break a run
            if _FENCE.match(line):
                self._in_code = not self._in_code
            key = _line_key(line)
            if key == self._run_key:
                self._run_count += 1
                if self._run_count >= _copies_needed(key, self._in_code):
                    return self._run_first_end
            else:
                self._run_key, self._run_count = key, 1
                self._run_first_end = start + len(line)

    def _settled(self) -> int:
        """The end of the text that no later trip can cut."""
        n = len(self._words)
        repeating = max(self._match[1 : min(MAX_UNIT_WORDS, n - 1) + 1], default=0)
        last_kept = n - repeating - 1
        settled = self._ends[last_kept] if last_kept >= 0 else 0
        if self._run_key is not None and (self._run_count >= 2 or self._may_repeat(self.text[self._line_start :])):
            settled = min(settled, self._run_first_end)
        return settled

    def _may_repeat(self, partial: str) -> bool:
        """Whether the line being written may still turn out a copy of the current run's line."""
        assert self._run_key is not None
        indent, normalized = self._run_key
        body = partial.lstrip()
        if not body:
            return True
        if partial[: len(partial) - len(body)] != indent:
            return False
        if _MARKER_STARTED.fullmatch(body):
            return True
        body = _MARKER.sub("", body, count=1)
        written = " ".join(body.split())
        if body[-1:].isspace() and written != normalized:  # a space: the next word has begun
            written += " "
        return normalized.startswith(written)


_TRIVIAL = "\0"  # marks the key of a line with few letters: it needs TRIVIAL_LINE_COPIES copies


def _line_key(line: str) -> tuple[str, str]:
    """What a line is compared by: (indentation, text without list marker), the text marked when trivial."""
    body = line.lstrip()
    text = " ".join(_MARKER.sub("", body, count=1).split())
    if sum(ch.isalpha() for ch in text) < MIN_LINE_LETTERS:
        text = _TRIVIAL + " ".join(body.split())  # the marker counts here: "- `#`" is not "`#`"
    return line[: len(line) - len(body)], text


def _copies_needed(key: tuple[str, str], in_code: bool) -> int:
    if key[1].startswith(_TRIVIAL):
        return TRIVIAL_LINE_COPIES
    return CODE_COPIES if in_code else LINE_COPIES


def _has_letter(words: list[str]) -> bool:
    return any(ch.isalpha() for word in words for ch in word)
