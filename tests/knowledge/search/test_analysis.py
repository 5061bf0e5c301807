"""The analysis stage: question words, everyday words, senses and cues, read with their diacritics."""

from __future__ import annotations

import pytest

from knowledge.search import default_index
from knowledge.search import vocabulary_tables as tables
from knowledge.search.analysis import BREAK, QUESTION_WEIGHT, analyse


def variants_asked(text: str) -> set[str]:
    rules = tables.load().variants
    query = analyse(text)
    return {
        rules[i].variant.marks[0].phrase for i, asked in enumerate(query.variants) if asked and rules[i].asks
    }


def test_question_words_weigh_next_to_nothing() -> None:
    query = analyse("làm hộ chiếu hết bao nhiêu tiền")
    weights = {t.written: t.weight for t in query.tokens if t is not BREAK}
    assert weights["hộ"] == weights["chiếu"] == 1.0
    assert weights["bao"] == QUESTION_WEIGHT
    assert query.asks == frozenset({"fee"})


def test_everyday_words_add_official_words() -> None:
    query = analyse("làm sổ đỏ lần đầu")
    added = [t.written for t in query.tokens[query.tokens.index(BREAK) :] if t is not BREAK]
    assert "quyền" in added and "đất" in added
    assert ("sổ đỏ", "giấy chứng nhận quyền sử dụng đất") in query.rewrites


@pytest.mark.parametrize(
    ("text", "sense"),
    [
        ("bố tôi vừa mất hôm qua", "death"),
        ("làm hộ chiếu mất bao lâu", "time"),
        ("tôi bị mất căn cước", "loss"),
    ],
)
def test_senses_of_mat(text: str, sense: str) -> None:
    assert any(f"({sense})" in meaning for _, meaning in analyse(text).rewrites)


def test_a_loss_asks_for_a_reissue() -> None:
    assert analyse("tôi bị mất căn cước").actions.get("reissue") == 1.0


@pytest.mark.parametrize(
    ("text", "asked"),
    [
        ("chồng em người Nhật muốn đăng ký kết hôn", True),
        ("lấy chồng hàn quốc thì làm giấy tờ gì", True),
        ("bố tôi đăng ký kết hôn", False),  # "bố" is not "bộ"
        ("mỹ phẩm nhập khẩu", False),  # a country name before "phẩm" is no country
    ],
)
def test_a_foreign_element_asked_in_other_words(text: str, asked: bool) -> None:
    assert ("nước ngoài" in variants_asked(text)) is asked


def test_diacritics_written_must_agree() -> None:
    # "bố" (father) must not read as "bộ" (ministry, a central level) or "bỏ" (to give up).
    assert "trung ương" not in variants_asked("bố tôi muốn làm hộ chiếu")
    assert not analyse("bố tôi muốn làm hộ chiếu").levels


def test_ages_name_a_child_or_an_adult() -> None:
    assert "child" in analyse("làm căn cước cho con 12t").subjects
    assert "child" in analyse("be nha em 5 tuoi").subjects
    assert "adult" in analyse("con tôi 16 tuổi làm căn cước").subjects


def test_a_long_message_keeps_its_question() -> None:
    query = analyse("Nhà em ở Nghệ An. Con em năm nay 10 tuổi. Làm hộ chiếu cho con ở đâu ạ?")
    assert query.sentences == 3
    assert "chiếu" in [t.written for t in query.question]


def test_spelling_is_repaired_with_the_index_words() -> None:
    query = analyse("ddawng kys khai sinh", default_index().speller)
    assert query.text.startswith("đăng ký")
    assert query.repairs == [("ddawng", "đăng"), ("kys", "ký")]
