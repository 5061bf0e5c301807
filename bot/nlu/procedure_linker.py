"""Links a message to the procedure it is about: entity `procedure`, value = the national code.

Procedures are data, not intents: the linker searches the whole knowledge base, so a procedure added
by an import is understood without retraining.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.application_code import APPLICATION_CODE
from bot.nlu.extractor import RuleExtractor
from bot.nlu.normalizer import normalized_of
from knowledge.base import load
from knowledge.model import Procedure
from knowledge.province import find_province
from knowledge.search import Hit, search
from knowledge.text import strip_diacritics

CANDIDATES = 3
# Small talk never names a procedure, whatever rare word it shares with one ("chào" / chào mua).
NO_PROCEDURE_INTENTS = frozenset({"greet", "goodbye", "thank", "affirm", "deny", "bot_challenge"})
# A status question or a call for a person is answered without one ("tra cứu hồ sơ" is no procedure),
# and so is a question out of scope; but the classifier also puts real procedure questions there
# ("xóa thế chấp sổ đỏ làm sao" read as a status question), so these link only on a procedure's
# everyday name, never on shared words alone.
NAME_ONLY_INTENTS = frozenset({"check_status", "request_human", "out_of_scope", "nlu_fallback"})
GAP = 2  # words a citizen may slip into an everyday name ("đăng ký xe [ô tô] mới")

# Words that ask, address or link; they may sit inside a procedure's name ("hết hạn", "cấp lại")
# but are no evidence that the message is about that procedure.
QUESTION_WORDS = frozenset(
    {
        "thu", "tuc", "lam", "gi", "can", "bao", "nhieu", "the", "nao", "o", "dau", "cua", "va", "cho",
        "het", "tien", "mat", "lau", "may", "ngay", "nop", "muon", "xin", "toi", "minh", "em", "anh",
        "chi", "a", "ak", "ha", "nhe", "vay", "khong", "duoc", "co", "la", "thi", "se", "da", "tai", "ve",
        "voi", "giay", "to", "nhu", "phi", "le", "thoi", "gian", "online", "truc", "tuyen", "ai", "nguoi",
        "nay", "kia", "do", "roi", "chua", "dien", "thoai", "duoi", "cuoi",
    }
)  # fmt: skip
# Verbs every other procedure name has: fine inside a mention ("đổi bằng lái"), no evidence alone.
NOT_EVIDENCE = QUESTION_WORDS | {"cap", "doi", "lai", "moi", "dang", "ky", "xac", "nhan", "giay"}
# The same words as written with diacritics: in an accented message "thẻ", "căn", "lái", "đỏ" are a
# name's words although "the", "can", "lai", "do" typed without diacritics may be "thế", "cần", "lại", "đó".
NOT_EVIDENCE_ACCENTED = frozenset(
    {
        "thủ", "tục", "làm", "gì", "cần", "bao", "nhiêu", "thế", "nào", "ở", "đâu", "của", "và", "cho",
        "hết", "tiền", "mất", "lâu", "mấy", "ngày", "nộp", "muốn", "xin", "tôi", "mình", "em", "anh",
        "chị", "à", "ạ", "ak", "hả", "ha", "nhé", "vậy", "không", "được", "có", "là", "thì", "sẽ", "đã",
        "tại", "về", "với", "giấy", "tờ", "như", "phí", "lệ", "thời", "gian", "online", "trực", "tuyến",
        "ai", "người", "này", "kia", "đó", "rồi", "chưa", "cấp", "đổi", "lại", "mới", "đăng", "ký", "xác",
        "nhận", "điện", "thoại", "đuôi", "cuối", "thứ", "cái",
    }
)  # fmt: skip
# How citizens address the page ("ad ơi", expanded to "quản trị viên"): no "ban quản trị" evidence.
ADDRESS = re.compile(r"\bqu[aả]n tr[iị] vi[eê]n\b")
ACCENTED_SHARE = 0.3  # a message with at least this share of words with diacritics was typed with them
_ACCENTED_WORD = re.compile(r"\w+")
_WORD = re.compile(r"[0-9a-z]+")


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class ProcedureLinker(RuleExtractor):
    """Entity `procedure` with the best match, its close rivals and whether they are too close."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # A score is the share of the message's content words that matched a procedure. Long messages
        # (a story, then the question) score low although they name the procedure: the evidence rule,
        # not this floor, keeps unrelated messages out (0.35 declined a fifth of the dev messages).
        return {"min_score": 0.2}

    def extract(self, message: Message) -> list[dict[str, Any]]:
        intent = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
        if intent in NO_PROCEDURE_INTENTS:
            return []
        names_only = intent in NAME_ONLY_INTENTS
        text = message.get(TEXT)
        # A province says where, not what ("ở Nghệ An", "tỉnh Lâm Đồng"); a code's letters are no procedure.
        province = find_province(text)
        if province is not None:
            text = text[: province.start] + " " * (province.end - province.start) + text[province.end :]
        ranking = search(APPLICATION_CODE.sub(" ", text), limit=CANDIDATES)
        if not ranking or ranking[0].score < self._config["min_score"]:
            return []
        normalized = normalized_of(message)
        plain = strip_diacritics(str(normalized))
        content = _content_words(str(normalized))
        if province is not None:
            content -= set(_WORD.findall(strip_diacritics(province.text).lower()))
        knowledge = load()

        def linked(hit: Hit) -> bool:
            procedure = knowledge.get(hit.code)
            if procedure is None or hit.score < self._config["min_score"]:
                return False
            return _evidence(plain, content, procedure, not names_only)

        if not linked(ranking[0]):
            return []
        best = knowledge[ranking[0].code]
        start, end = _span(plain, normalized, best, len(message.get(TEXT)))
        candidates = [hit.code for hit in ranking if linked(hit)]
        return [
            {
                "entity": "procedure",
                "value": best.code,
                "start": start,
                "end": end,
                "confidence": ranking[0].score,
                "candidates": candidates,
                "too_close": ranking.too_close and len(candidates) > 1,
            }
        ]


def _names(procedure: Procedure) -> list[str]:
    names = (procedure.name, procedure.short_name, *procedure.everyday_names)
    return [strip_diacritics(n).lower() for n in names if n]


def _vocabulary(procedure: Procedure) -> set[str]:
    """The words of the procedure's names, and each pair written as one ("ô tô" / oto, "xe máy" / xemay)."""
    vocabulary = set()
    for name in _names(procedure):
        words = _WORD.findall(name)
        vocabulary.update(words)
        vocabulary.update(a + b for a, b in itertools.pairwise(words))
    return vocabulary


def _content_words(normalized: str) -> set[str]:
    """The message's words that may name a procedure, without diacritics."""
    words = _ACCENTED_WORD.findall(ADDRESS.sub(" ", normalized))
    accented = sum(strip_diacritics(w) != w for w in words)
    if words and accented >= ACCENTED_SHARE * len(words):
        kept = (strip_diacritics(w) for w in words if w not in NOT_EVIDENCE_ACCENTED)
        return {w for word in kept for w in _WORD.findall(word)}
    return {w for w in _WORD.findall(strip_diacritics(normalized)) if w not in NOT_EVIDENCE}


def _evidence(plain: str, content: set[str], procedure: Procedure, shared_words: bool = True) -> bool:
    """The message holds one of the procedure's everyday names, or (if shared_words) two of its words."""
    words = _WORD.findall(plain)
    everyday = (strip_diacritics(n).lower() for n in (procedure.short_name, *procedure.everyday_names) if n)
    if any(_holds(words, _WORD.findall(name)) for name in everyday):
        return True
    return shared_words and len(content & _vocabulary(procedure)) >= 2


def _holds(words: list[str], name: list[str]) -> bool:
    """The name's words occur in order in the message with at most GAP words slipped in."""
    if not name:
        return False
    for start, word in enumerate(words):
        if word != name[0]:
            continue
        position, gaps = start, 0
        for expected in name[1:]:
            following = words[position + 1 : position + 2 + GAP - gaps]
            if expected not in following:
                break
            skipped = following.index(expected)
            position, gaps = position + 1 + skipped, gaps + skipped
        else:
            return True
    return False


def _span(plain: str, normalized: Any, procedure: Procedure, length: int) -> tuple[int, int]:
    """The stretch of the message whose words occur in the procedure's names (whole text if none)."""
    vocabulary = _vocabulary(procedure)
    hits = [(m.start(), m.group()) for m in _WORD.finditer(plain) if m.group() in vocabulary]
    # Question words may sit inside a procedure's name ("hết hạn"), but never start or end the span.
    while hits and hits[0][1] in QUESTION_WORDS:
        hits.pop(0)
    while hits and hits[-1][1] in QUESTION_WORDS:
        hits.pop()
    if not hits:
        return 0, length
    start, end = normalized.original_span(hits[0][0], hits[-1][0] + len(hits[-1][1]))
    return int(start), int(end)
