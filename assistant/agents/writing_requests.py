"""Writing requests typed into the chat: "proofread this: …", "이 문장을 더 공손하게 바꿔 주세요: …".

The window routes a message to the writer agent, then reads from it which task to run on which text
(:func:`infer_task`); a message that is not such a request is answered as an ordinary message. The
command may be in English or, for the common tasks, in Korean, Japanese, Chinese, German, French or
Spanish: the person asks in their language and gets the task, not a chat reply about it.
"""

from __future__ import annotations

import re

from assistant.agents import language as languages

_POLITE = r"^(?:(?:please|pls|can you|could you|would you|will you|kindly|now)[,\s]+)*"
# "proofread this: …", "translate to German: …", "make this more formal: …"
_REQUESTS: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(
            _POLITE
            + r"(?:proof-?read|correct(?!\s+me\b)|spell-?check|fix (?:the |any |all )?(?:spelling|grammar|typos))\b"
        ),
        "proofread",
    ),
    (re.compile(_POLITE + r"translate\b"), "translate"),
    (re.compile(_POLITE + r"(?:draft|write|compose)\b.*\be-?mail\b"), "email"),
    (
        re.compile(
            _POLITE + r"(?:make|rewrite|write|rephrase|say)\b.*\b(?:polite|politer|politely|courteous|respectful)"
        ),
        "rewrite-polite",
    ),
    (
        re.compile(_POLITE + r"(?:make|rewrite|write|rephrase)\b.*\b(?:formal|formally|professional)"),
        "rewrite-formal",
    ),
    (
        re.compile(_POLITE + r"(?:make|rewrite|rephrase)\b.*\b(?:friendly|friendlier|warm|warmer|casual)\b"),
        "rewrite-friendly",
    ),
    (re.compile(_POLITE + r"(?:make|rewrite|rephrase)\b.*\b(?:concise|clearer|clear)\b"), "rewrite-concise"),
    (re.compile(_POLITE + r"(?:shorten|make\b.*\bshorter|trim|cut down)\b"), "shorten"),
    (re.compile(_POLITE + r"(?:expand|elaborate|make\b.*\blonger)\b"), "expand"),
    (re.compile(_POLITE + r"(?:summari[sz]e|tl;?dr|give me a summary)\b"), "summarize"),
    (re.compile(_POLITE + r"(?:continue|keep going with|finish)\b"), "continue"),
    (re.compile(_POLITE + r"(?:rewrite|rephrase|reword|paraphrase)\b"), "rewrite-concise"),
]
# The same requests in Korean, Japanese, Chinese, German, French and Spanish: a task word anywhere in
# the command (their verbs come last, or after a subject). The general "rewrite"/"fix" verbs come last,
# so that "공손하게 바꿔 주세요" / "존댓말로 바꿔 줘" (make it polite) is a polite rewrite, not a plain one.
_FOREIGN_REQUESTS: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(
            r"맞춤법|교정|오타|문법|校正|添削|誤字|校对|纠正|错别字|korrigier|rechtschreibung|corrige|orthographe|"
            r"ortograf[ií]a"
        ),
        "proofread",
    ),
    (re.compile(r"번역|翻訳|訳して|翻译|übersetz|tradu[ics]"), "translate"),
    (
        re.compile(
            r"(?:이메일|메일).{0,20}(?:써|작성)|メール.{0,20}(?:書い|作成)|(?:写|起草).{0,10}邮件|"
            r"(?:schreib|verfass)\w*\b.{0,30}\be-?mail|(?:rédige|écris)\b.{0,30}\b(?:e-?mail|courriel)|"
            r"(?:redacta|escribe)\b.{0,30}\b(?:correo|e-?mail)"
        ),
        "email",
    ),
    (
        re.compile(
            r"공손|정중|존댓말|높임말|존대|예의\s*바르|丁寧|敬語|礼貌|客气|höflich|plus poli|poliment|educad|cortés"
        ),
        "rewrite-polite",
    ),
    (re.compile(r"격식|フォーマル|正式|formell|förmlich|formel|soutenu|más formal"), "rewrite-formal"),
    (
        re.compile(
            r"친근|다정|캐주얼|親しみ|カジュアル|フレンドリー|友好|亲切|随和|freundlich|locker|amical|chaleureu|"
            r"amistos|cercan"
        ),
        "rewrite-friendly",
    ),
    (re.compile(r"간결|簡潔|简洁|简明|prägnant|concis"), "rewrite-concise"),
    (re.compile(r"짧게|줄여|短く|缩短|精简|kürze|raccourci|acorta"), "shorten"),
    (
        re.compile(
            r"길게|늘려|자세히|확장|詳しく|膨らませ|扩写|扩展|erweiter|ausführlich|développe|étoffe|amplía|amplia"
        ),
        "expand",
    ),
    (re.compile(r"요약|要約|まとめ|总结|摘要|概括|zusammen|résume|resum"), "summarize"),
    (
        re.compile(r"이어서|이어 써|続きを|続けて|续写|继续写|weiterschreib|fortsetz|poursui|continúa|continua"),
        "continue",
    ),
    (re.compile(r"고쳐|直して|修改|改正"), "proofread"),
    (
        re.compile(
            r"바꿔|바꾸어|다시\s*써|다듬|書き直|言い換え|改写|重写|润色|umformulier|umschreib|reformul|réécri|reescrib"
        ),
        "rewrite-concise",
    ),
]
_MAX_HEAD = 100  # a longer first line is a message, not a command with text after it
_LANGUAGE = re.compile(r"\b(?:to|into)\s+([A-Za-z][A-Za-z -]{1,30}?)\s*(?::|$|\n)", re.IGNORECASE)
_EMAIL_VERB = re.compile(_POLITE + r"(?:draft|write|compose)\s+(?:me\s+|us\s+)?(?:an?\s+|the\s+)?", re.IGNORECASE)
_EMAIL_SOURCE = re.compile(
    r"\s+(?:from|using|with|based on)\s+(?:(?:these|the|my|this|following)\s+)*(?:bullet\s+)?"
    r"(?:points?|notes?|bullets?|list)\b",
    re.IGNORECASE,
)


def infer_task(request: str) -> tuple[str, str, str | None] | None:
    """From a chat message like "proofread this: <text>": (task, text, language), or None.

    The command is the part before the first colon (``:`` or the full-width ``：``; else the first
    line); the text is what follows. The command may be in English or, for the common tasks, in
    Korean, Japanese, Chinese, German, French or Spanish ("이 문장을 더 공손하게 바꿔 주세요: …").
    None when the message is not such a request, has no text, or asks to translate without saying
    into which language (the chat then answers it as an ordinary message).
    """
    colon = min((i for i in (request.find(":"), request.find("：")) if i >= 0), default=-1)
    head, body = (request[:colon], request[colon + 1 :]) if colon >= 0 else ("", "")
    if colon < 0 or "\n" in head.strip():
        head, _, body = request.partition("\n")
    lowered = head.strip().lower()
    if len(lowered) > _MAX_HEAD:
        return None
    english = next((task for pattern, task in _REQUESTS if pattern.search(lowered)), None)
    task = english or next((task for pattern, task in _FOREIGN_REQUESTS if pattern.search(lowered)), None)
    if task is None:
        return None
    if task == "email" and english:  # keep who it is for and what about: "Email to Sam about Friday:\n- …"
        about = _EMAIL_SOURCE.sub("", _EMAIL_VERB.sub("", head.strip(), count=1)).strip(" .,")
        if about.lower() not in ("email", "e-mail", ""):
            about = about[0].upper() + about[1:]
            body = f"{about}:\n{body.strip()}" if body.strip() else about
    if not body.strip():
        return None
    language = None
    if task == "translate":
        found = _LANGUAGE.search(head + ":") if english else None
        language = found.group(1).strip().title() if found else _target_language(head)
        if language is None:
            return None
    return task, body.strip(), language


def _target_language(head: str) -> str | None:
    """The language a translation request written in another language asks for ("영어로 번역해 주세요")."""
    named = languages.mentioned(head)
    if not named:
        return None
    # The target is the name a "to" marks: Korean 로/으로, Japanese に/へ after it; Chinese 成/为 before it.
    for start, end, found in named:
        if re.match(r"\s*(?:으로|로|に|へ)", head[end:]) or re.search(r"(?:成|为|into|in)\s*$", head[:start]):
            return found.name
    return named[-1][2].name
