"""UnknownWordsGuard: nonsense loses its intent confidence, real questions keep theirs."""

from __future__ import annotations

from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.normalizer import VietnameseNormalizer
from bot.nlu.tokenizer import VietnameseTokenizer
from bot.nlu.unknown_words import UnknownWordsGuard

TOKENIZER = VietnameseTokenizer(VietnameseTokenizer.get_default_config())
GUARD = UnknownWordsGuard(
    UnknownWordsGuard.get_default_config(), None, None, {"lam", "het", "bao", "nhieu", "tien", "xin", "chao"}
)  # type: ignore[arg-type]


def classified(text: str, confidence: float = 0.9) -> Message:
    message = Message(data={TEXT: text})
    VietnameseNormalizer().process([message])
    message.set(TOKENS_NAMES[TEXT], TOKENIZER.tokenize(message, TEXT))
    message.set(INTENT, {"name": "inform", "confidence": confidence})
    GUARD.process([message])
    return message


def test_nonsense_loses_its_confidence() -> None:
    for text in ("asdkjh qwe zxc", "qqq www eee rrr"):
        assert classified(text).get(INTENT) == {"name": "inform", "confidence": 0.0}


def test_questions_keep_their_confidence() -> None:
    # "hộ chiếu" is not in this tiny training vocabulary but is in procedure names.
    for text in ("làm hộ chiếu hết bao nhiêu tiền", "xin chào", "lam ho chieu het bn tien", "😀"):
        assert classified(text).get(INTENT)["confidence"] == 0.9


def test_known_share() -> None:
    assert GUARD.known_share(classified("xin chào asdkjh")) == 2 / 3
