"""Which language a text is in, and whether a model can write it: so that writing help answers in
the person's language, and says so plainly when the model in use cannot.

Detection needs no model and no download: the writing system decides most languages outright
(Hangul is Korean, kana is Japanese, Han without kana is Chinese, Cyrillic, Greek, Arabic, Hebrew,
Thai, Devanagari…), and among Latin-script languages a few letters only one language uses (``ß``,
``ñ``, ``ơ``) and counts of very common short words tell English from the large European languages.
A text mixing scripts is in the one with most letters, a CJK character counting as two (it carries
about a syllable). Latin text with no clue is taken for English.

What a model writes comes from its model card (the languages it officially supports), kept in one
table, :data:`MODEL_LANGUAGES`, with the source of each row. A model the table does not know is
assumed to write anything: the check exists to stop a known English-only model from answering in
English (or in nonsense), not to second-guess models we know nothing about.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from assistant import bundle
from assistant.runtime.types import RuntimeInfo

if TYPE_CHECKING:
    from assistant.runtime.catalog import CatalogModel


@dataclass(frozen=True)
class Language:
    """A language: ``code`` (ISO 639-1, e.g. "ko") and ``name`` in English (e.g. "Korean")."""

    code: str
    name: str


NAMES: dict[str, str] = {
    "en": "English",
    "ko": "Korean",
    "ja": "Japanese",
    "zh": "Chinese",
    "ru": "Russian",
    "uk": "Ukrainian",
    "el": "Greek",
    "ar": "Arabic",
    "fa": "Persian",
    "ur": "Urdu",
    "he": "Hebrew",
    "th": "Thai",
    "hi": "Hindi",
    "bn": "Bengali",
    "pa": "Punjabi",
    "gu": "Gujarati",
    "ta": "Tamil",
    "te": "Telugu",
    "kn": "Kannada",
    "ml": "Malayalam",
    "si": "Sinhala",
    "my": "Burmese",
    "km": "Khmer",
    "lo": "Lao",
    "ka": "Georgian",
    "hy": "Armenian",
    "am": "Amharic",
    "de": "German",
    "fr": "French",
    "es": "Spanish",
    "it": "Italian",
    "pt": "Portuguese",
    "nl": "Dutch",
    "pl": "Polish",
    "tr": "Turkish",
    "vi": "Vietnamese",
    "cs": "Czech",
    "sv": "Swedish",
    "da": "Danish",
    "no": "Norwegian",
    "fi": "Finnish",
    "hu": "Hungarian",
    "ro": "Romanian",
    "id": "Indonesian",
}
ENGLISH = Language("en", "English")

# What people call a language in a request ("영어로", "auf Englisch"): lower-case stems, any script.
_OTHER_NAMES: dict[str, tuple[str, ...]] = {
    "en": ("영어", "英語", "英语", "英文", "englisch", "anglais", "inglés", "ingles", "inglese", "inglês"),
    "ko": ("한국어", "한국말", "한글", "韓国語", "韩语", "韩文", "koreanisch", "coréen", "coreano"),
    "ja": ("일본어", "日本語", "日语", "日文", "japanisch", "japonais", "japonés", "giapponese", "japonês"),
    "zh": ("중국어", "中国語", "中文", "汉语", "chinesisch", "chinois", "chino", "cinese", "chinês"),
    "de": ("독일어", "ドイツ語", "德语", "德文", "deutsch", "allemand", "alemán", "tedesco", "alemão"),
    "fr": (
        "프랑스어",
        "불어",
        "フランス語",
        "法语",
        "法文",
        "französisch",
        "français",
        "francés",
        "francese",
        "francês",
    ),
    "es": ("스페인어", "スペイン語", "西班牙语", "spanisch", "espagnol", "español", "spagnolo", "espanhol"),
    "it": ("이탈리아어", "イタリア語", "意大利语", "italienisch", "italien", "italiano"),
    "pt": ("포르투갈어", "ポルトガル語", "葡萄牙语", "portugiesisch", "portugais", "portugués", "português"),
    "ru": ("러시아어", "ロシア語", "俄语", "russisch", "russe", "ruso", "russo", "русский"),
    "vi": ("베트남어", "ベトナム語", "越南语", "vietnamesisch", "vietnamien", "vietnamita", "tiếng việt"),
    "th": ("태국어", "タイ語", "泰语", "thailändisch", "thaï", "tailandés", "ภาษาไทย"),
}

# Unicode blocks of the scripts that name one language (or one we take as the usual one).
_SCRIPTS: tuple[tuple[int, int, str], ...] = (
    (0x0370, 0x03FF, "el"),
    (0x1F00, 0x1FFF, "el"),
    (0x0400, 0x052F, "cyrillic"),
    (0x0530, 0x058F, "hy"),
    (0x0590, 0x05FF, "he"),
    (0x0600, 0x06FF, "arabic"),
    (0x0750, 0x077F, "arabic"),
    (0xFB50, 0xFDFF, "arabic"),
    (0xFE70, 0xFEFF, "arabic"),
    (0x0900, 0x097F, "hi"),
    (0x0980, 0x09FF, "bn"),
    (0x0A00, 0x0A7F, "pa"),
    (0x0A80, 0x0AFF, "gu"),
    (0x0B80, 0x0BFF, "ta"),
    (0x0C00, 0x0C7F, "te"),
    (0x0C80, 0x0CFF, "kn"),
    (0x0D00, 0x0D7F, "ml"),
    (0x0D80, 0x0DFF, "si"),
    (0x0E00, 0x0E7F, "th"),
    (0x0E80, 0x0EFF, "lo"),
    (0x1000, 0x109F, "my"),
    (0x10A0, 0x10FF, "ka"),
    (0x1200, 0x137F, "am"),
    (0x1780, 0x17FF, "km"),
    (0x1100, 0x11FF, "hangul"),
    (0x3130, 0x318F, "hangul"),
    (0xAC00, 0xD7A3, "hangul"),
    (0x3040, 0x30FF, "kana"),
    (0x31F0, 0x31FF, "kana"),
    (0xFF66, 0xFF9F, "kana"),
    (0x3400, 0x4DBF, "han"),
    (0x4E00, 0x9FFF, "han"),
    (0xF900, 0xFAFF, "han"),
    (0x20000, 0x2FA1F, "han"),
)
_CJK = ("hangul", "kana", "han")
_CJK_WEIGHT = 2  # a CJK character carries about a syllable: it counts as two letters

# Latin script: very common short words of each language (a word may belong to several) ...
_STOP_WORDS: dict[str, frozenset[str]] = {
    code: frozenset(words.split())
    for code, words in {
        "en": "the and is are was were to of in that it you for with this have be not on will we my your "
        "please i he she they what can do at from",
        "de": "der die das und ist nicht ich sie mit ein eine zu den dem auf für es wir bitte sich auch von "
        "aber oder wie morgen sind",
        "fr": "le la les et est je vous nous une des du pas que qui pour dans avec ce sur au merci mais ne sont",
        "es": "el la los las y es que de no un una por para con se del lo su muy gracias usted está pero como son",
        "it": "il lo gli e è che di non un una per con sono della del mi ti grazie ma come",
        "pt": "o os as e é que de não um uma para com por do da você obrigado está são mas como",
        "nl": "de het een en is niet ik je van dat met voor op zijn wij bedankt maar",
    }.items()
}
# ... and letters that (among these) only one language writes, each worth this many words.
_LETTERS: dict[str, str] = {
    "de": "ßäöü",
    "es": "ñ¿¡",
    "pt": "ãõ",
    "fr": "œ",
    "pl": "ąęłńśźż",
    "tr": "ğış",
    "vi": "ăđơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ",
    "cs": "ěřůť",
}
_LETTER_WEIGHT = 2
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def detect(text: str) -> Language | None:
    """The language ``text`` is written in; None when it has no letters (numbers, symbols, emoji)."""
    counts: Counter[str] = Counter()
    for char in text:
        script = _script(char)
        if script:
            counts[script] += _CJK_WEIGHT if script in _CJK else 1
    if not counts:
        return None
    cjk = sum(counts[s] for s in _CJK)
    groups = {"cjk": cjk, **{s: n for s, n in counts.items() if s not in _CJK}}
    top = max(groups, key=lambda s: groups[s])
    if top == "cjk":
        if counts["hangul"] and counts["hangul"] >= counts["kana"]:
            return _language("ko")
        if counts["kana"] * 10 >= counts["kana"] + counts["han"]:
            return _language("ja")
        return _language("zh")
    if top == "latin":
        return _latin(text)
    if top == "cyrillic":
        return _language("uk" if re.search("[іїєґІЇЄҐ]", text) else "ru")
    if top == "arabic":
        if re.search("[ٹڈڑںھے]", text):
            return _language("ur")
        return _language("fa" if re.search("[پچژگکی]", text) else "ar")
    return _language(top)


def find(name: str) -> Language | None:
    """The language called ``name``: an English name, a code, or a name in another language ("영어")."""
    key = " ".join(name.split()).strip().lower()
    if not key:
        return None
    if key in NAMES:
        return _language(key)
    for code, english in NAMES.items():
        if key == english.lower():
            return _language(code)
    for code, others in _OTHER_NAMES.items():
        if key in others:
            return _language(code)
    return None


def mentioned(text: str) -> list[tuple[int, int, Language]]:
    """Every language named in ``text`` (in English or another language): (start, end, language)."""
    lowered = text.lower()
    found: list[tuple[int, int, Language]] = []
    # English names are whole words; other Latin-script names are stems ("englisch" in "ins Englische").
    names = [(english.lower(), code, r"(?![^\W\d_])") for code, english in NAMES.items()]
    names += [(other, code, "") for code, others in _OTHER_NAMES.items() for other in others]
    for name, code, end in sorted(names, key=lambda item: -len(item[0])):
        latin = _script(name[0]) == "latin"
        pattern = rf"(?<![^\W\d_]){re.escape(name)}{end}" if latin else re.escape(name)
        for match in re.finditer(pattern, lowered):
            if not any(start <= match.start() < end for start, end, _ in found):
                found.append((match.start(), match.end(), _language(code)))
    return sorted(found, key=lambda item: item[0])


def _language(code: str) -> Language:
    return Language(code, NAMES[code])


def _script(char: str) -> str:
    """The script of one character ("latin", "hangul", "el", …), or "" when it is not a letter."""
    point = ord(char)
    if point < 0x250:
        return "latin" if char.isalpha() else ""
    if 0x1E00 <= point <= 0x1EFF:  # Latin Extended Additional (Vietnamese)
        return "latin"
    for start, end, script in _SCRIPTS:
        if start <= point <= end:
            return script if unicodedata.category(char)[0] in "LM" else ""
    return ""


def _latin(text: str) -> Language:
    """English, or a European language its common words and letters point to."""
    lowered = text.lower()
    scores: Counter[str] = Counter()
    for word in _WORD.findall(lowered):
        for code, words in _STOP_WORDS.items():
            if word in words:
                scores[code] += 1
    for code, letters in _LETTERS.items():
        hits = sum(lowered.count(letter) for letter in letters)
        if hits:
            scores[code] += _LETTER_WEIGHT * hits
    if not scores:
        return ENGLISH
    best = max(scores.values())
    winners = [code for code, score in scores.items() if score == best]
    return ENGLISH if "en" in winners or len(winners) > 1 else _language(winners[0])


# --- what a model can write -------------------------------------------------------------------------


@dataclass(frozen=True)
class ModelLanguages:
    """The languages a model family writes (ISO codes; None: many, any we detect), and where it says so."""

    pattern: str  # searched in the model's name, lower-cased, with "_" and spaces as "-"
    languages: frozenset[str] | None
    source: str


def _codes(text: str) -> frozenset[str]:
    return frozenset(text.split())


_LLAMA_3 = _codes("en de fr it pt hi es th")
_PHI_4_MINI = _codes("ar zh cs da nl en fi fr de he hu it ja ko no pl pt ru es sv th tr uk")

# First match wins: the more specific names come first.
MODEL_LANGUAGES: tuple[ModelLanguages, ...] = (
    ModelLanguages(
        r"deepseek-r1",
        _codes("en zh"),
        "DeepSeek-R1 card and paper, limitations: 'currently optimized for Chinese and English'",
    ),
    ModelLanguages(
        r"smollm3",
        _codes("en fr es de it pt"),
        "HuggingFaceTB/SmolLM3-3B card: six languages, English, French, Spanish, German, Italian, Portuguese",
    ),
    ModelLanguages(
        r"smollm",
        _codes("en"),
        "HuggingFaceTB/SmolLM2-135M/360M/1.7B-Instruct cards: 'language: en'; limitations: 'primarily "
        "understand and generate content in English'",
    ),
    ModelLanguages(
        r"qwen-?3", None, "Qwen/Qwen3-*-GGUF cards: 'support of 100+ languages and dialects' (119 in the blog)"
    ),
    ModelLanguages(
        r"qwen-?2\.5|qwen-?2(?!\d)",
        None,
        "Qwen/Qwen2.5-*-Instruct cards: 'multilingual support for over 29 languages, including Chinese, English, "
        "French, Spanish, Portuguese, German, Italian, Russian, Japanese, Korean, Vietnamese, Thai, Arabic'",
    ),
    ModelLanguages(
        r"gemma-?3-?(?:1b|270m)(?!\w)",
        _codes("en"),
        "Hugging Face's Gemma 3 release post (huggingface.co/blog/gemma3): multilingual support 'English (1B)', "
        "140+ languages for 4B and larger",
    ),
    ModelLanguages(
        r"gemma-?3", None, "google/gemma-3-*-it cards: 'multilingual support in over 140 languages' (4B and larger)"
    ),
    ModelLanguages(
        r"llama-?3\.[123]",
        _LLAMA_3,
        "meta-llama/Llama-3.2-1B-Instruct card: 'English, German, French, Italian, Portuguese, Hindi, Spanish, "
        "and Thai are officially supported' (the same eight for 3.1 and 3.3)",
    ),
    ModelLanguages(
        r"phi-?4-?mini",
        _PHI_4_MINI,
        "microsoft/Phi-4-mini-instruct card, supported languages: Arabic, Chinese, Czech, Danish, Dutch, English, "
        "Finnish, French, German, Hebrew, Hungarian, Italian, Japanese, Korean, Norwegian, Polish, Portuguese, "
        "Russian, Spanish, Swedish, Thai, Turkish, Ukrainian",
    ),
    ModelLanguages(r"mobilellm", _codes("en"), "facebook/MobileLLM-R1-950M card: 'language: en'"),
)
BUNDLED = Path(bundle.CHAT_MODEL).stem  # the built-in model's name, as RuntimeInfo.model gives it


def written_languages(model: str | RuntimeInfo) -> frozenset[str] | None:
    """The codes of the languages ``model`` (a name, a catalog id or a RuntimeInfo) writes; None: any."""
    name = model.model if isinstance(model, RuntimeInfo) else model
    key = re.sub(r"[\s_]+", "-", name.strip().lower())
    for row in MODEL_LANGUAGES:
        if re.search(row.pattern, key):
            return row.languages
    return None


def can_write(model: str | RuntimeInfo, language: Language | str) -> bool:
    """Whether ``model`` writes ``language`` (a Language or a code) well, per its model card.

    English always; a model not in :data:`MODEL_LANGUAGES`: assumed yes.
    """
    code = language.code if isinstance(language, Language) else language
    languages = written_languages(model)
    return code == "en" or languages is None or code in languages


def describe_languages(codes: frozenset[str]) -> str:
    """How a sentence names ``codes``: "English only", "English, German and French"."""
    if codes == {"en"}:
        return "English only"
    names = sorted((NAMES.get(code, code) for code in codes), key=lambda n: (n != "English", n))
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


# Which catalog model to suggest for a language, in this order of preference: a capable model that
# runs on an ordinary laptop first (see assistant.runtime.catalog for their sizes).
_SUGGEST = ("qwen3-1.7b", "qwen3-4b", "gemma-3-4b-it", "llama-3.2-3b-instruct", "phi-4-mini-instruct", "qwen3-0.6b")


def suggest_model(language: Language | str) -> CatalogModel | None:
    """A catalog model that writes ``language``: the first of a preferred few, else any; None if none."""
    from assistant.runtime.catalog import CATALOG

    ranked = sorted(CATALOG, key=lambda m: _SUGGEST.index(m.id) if m.id in _SUGGEST else len(_SUGGEST))
    return next((m for m in ranked if can_write(m.id, language) and can_write(m.name, language)), None)
