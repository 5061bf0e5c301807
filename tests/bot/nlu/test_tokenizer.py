"""VietnameseTokenizer after the normaliser: token texts and (start, end) offsets into what was typed."""

from __future__ import annotations

import unicodedata

import pytest
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.normalizer import VietnameseNormalizer
from bot.nlu.tokenizer import CUE_PREFIX, VietnameseTokenizer

TOKENIZER = VietnameseTokenizer(VietnameseTokenizer.get_default_config())


def all_tokens(text: str, normalise: bool = True) -> list[tuple[str, int, int]]:
    message = Message(data={"text": text})
    if normalise:
        VietnameseNormalizer().process([message])
    return [(t.text, t.start, t.end) for t in TOKENIZER.tokenize(message, "text")]


def tokens(text: str, normalise: bool = True) -> list[tuple[str, int, int]]:
    """The tokens of the words typed (without the question-kind cues the vocabulary adds)."""
    return [t for t in all_tokens(text, normalise) if not t[0].startswith(CUE_PREFIX)]


def cues(text: str) -> list[str]:
    return [t[0].removeprefix(CUE_PREFIX) for t in all_tokens(text) if t[0].startswith(CUE_PREFIX)]


CASES = [
    (
        "Làm CCCD hết bn tiền?",
        [("lam", 0, 3), ("can_cuoc", 4, 8), ("cong_dan", 4, 8), ("het", 9, 12), ("bao_nhieu", 13, 15),
         ("tien", 16, 20)],
    ),
    (
        "lam cccd het bn tien",
        [("lam", 0, 3), ("can_cuoc", 4, 8), ("cong_dan", 4, 8), ("het", 9, 12), ("bao_nhieu", 13, 15),
         ("tien", 16, 20)],
    ),
    (
        "Làm hộ chiếu cần giấy tờ gì?",
        [("lam", 0, 3), ("ho_chieu", 4, 12), ("can", 13, 16), ("giay_to", 17, 24), ("gi", 25, 27)],
    ),
    (
        "Đăng ký khai sinh cho con",
        [("dang_ky", 0, 7), ("khai_sinh", 8, 17), ("cho", 18, 21), ("con", 22, 25)],
    ),
    # Without diacritics underthesea does not join "dang ky"; the features still match syllable by syllable.
    (
        "dang ky khai sinh cho con",
        [("dang", 0, 4), ("ky", 5, 7), ("khai_sinh", 8, 17), ("cho", 18, 21), ("con", 22, 25)],
    ),
    ("Thuỷ hoá", [("thuy", 0, 4), ("hoa", 5, 8)]),
    ("ko dc mik", [("khong", 0, 2), ("duoc", 3, 5), ("minh", 6, 9)]),
    (
        "mik muốn làm hộ chiếu ko dc à",
        [("minh", 0, 3), ("muon", 4, 8), ("lam", 9, 12), ("ho_chieu", 13, 21), ("khong", 22, 24),
         ("duoc", 25, 27), ("a", 28, 29)],
    ),
    (
        "Tôi ở Bình Định 😀 muốn làm hộ chiếu",
        [("toi", 0, 3), ("o", 4, 5), ("binh_dinh", 6, 15), ("muon", 18, 22), ("lam", 23, 26),
         ("ho_chieu", 27, 35)],
    ),
    (
        "làm hộ chiếu hết 200k",
        [("lam", 0, 3), ("ho_chieu", 4, 12), ("het", 13, 16), ("so", 17, 20), ("k", 20, 21)],
    ),
    # a number is the token "so", an application code one placeholder token, however it was typed
    ("nộp ngày 12/10/2025", [("nop", 0, 3), ("ngay", 4, 8), ("so", 9, 19)]),
    (
        "hồ sơ 000.00.17.H12-251120-0042 sao rồi",
        [("ho_so", 0, 5), ("ma_ho_so", 6, 31), ("sao", 32, 35), ("roi", 36, 39)],
    ),
    (
        "Hồ sơ 000 00 17 h12 251120 0042 đến đâu rồi",
        [("ho_so", 0, 5), ("ma_ho_so", 6, 31), ("den", 32, 35), ("dau", 36, 39), ("roi", 40, 43)],
    ),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_tokens_and_offsets(text: str, expected: list[tuple[str, int, int]]) -> None:
    assert tokens(text) == expected


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_offsets_slice_the_written_word(text: str, expected: list[tuple[str, int, int]]) -> None:
    for token, start, end in expected:
        typed = text[start:end]
        # the typed word is the token, or the abbreviation it was expanded from
        if token == "so":
            assert typed.replace("/", "").isdigit()
        elif token == "ma_ho_so":
            assert typed.replace(" ", ".").replace("-", ".").count(".") == 5
        else:
            assert token.replace("_", " ") in _plain(typed) or typed.lower() in {
                "cccd",
                "bn",
                "ko",
                "dc",
                "mik",
            }


def _plain(text: str) -> str:
    from knowledge.text import strip_diacritics

    return strip_diacritics(text).lower()


def test_without_the_normaliser_component_the_tokenizer_normalises_itself() -> None:
    assert tokens("Làm CCCD hết bn tiền?", normalise=False) == CASES[0][1]


def test_nfd_input_gives_the_same_tokens_with_offsets_into_the_nfd_text() -> None:
    nfd = unicodedata.normalize("NFD", "Làm hộ chiếu cần giấy tờ gì?")
    found = tokens(nfd)
    assert found == [("lam", 0, 4), ("ho_chieu", 5, 17), ("can", 18, 23), ("giay_to", 24, 35), ("gi", 36, 39)]
    typed = [unicodedata.normalize("NFC", nfd[s:e]) for _, s, e in found]
    assert typed == ["Làm", "hộ chiếu", "cần", "giấy tờ", "gì"]


def test_nfd_old_tone_placement() -> None:
    nfd = unicodedata.normalize("NFD", "Thuỷ hoá")
    assert tokens(nfd) == [("thuy", 0, 5), ("hoa", 6, 10)]


def test_emoji_only_gives_one_placeholder_token_over_the_whole_text() -> None:
    assert tokens("😀🙏") == [("_", 0, 2)]


def test_empty_text_gives_a_placeholder_token_inside_the_text() -> None:
    assert tokens("") == [("_", 0, 0)]


def test_ten_thousand_characters() -> None:
    text = ("làm hộ chiếu hết bao nhiêu tiền " * 320)[:10_000]
    found = tokens(text)
    assert found[:3] == [("lam", 0, 3), ("ho_chieu", 4, 12), ("het", 13, 16)]
    assert all(0 <= s < e <= len(text) for _, s, e in found)
    assert [t for t, _, _ in found[:6]] == ["lam", "ho_chieu", "het", "bao_nhieu", "tien", "lam"]
    assert found[-1] == ("het", 9997, 10000)


def test_lemma_keeps_diacritics() -> None:
    message = Message(data={"text": "Làm hộ chiếu"})
    VietnameseNormalizer().process([message])
    assert [t.lemma for t in TOKENIZER.tokenize(message, "text")] == ["làm", "hộ_chiếu"]


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("làm hộ chiếu hết bao nhiêu tiền", ["fee"]),
        ("lam cccd can giay to gi", ["documents"]),
        ("đăng ký thường trú theo nghị định nào", ["legal_basis"]),
        ("xin chào", []),
    ],
)
def test_question_kinds_become_cue_tokens(text: str, kinds: list[str]) -> None:
    assert cues(text) == kinds


def test_the_cues_sit_at_the_end_of_the_text() -> None:
    found = all_tokens("làm hộ chiếu hết bao nhiêu tiền")
    assert found[-1] == (CUE_PREFIX + "fee", 31, 31)


def test_a_long_message_is_tokenised_from_its_question() -> None:
    text = "Nhà em ở Nghệ An, em làm công nhân ở Bình Dương mấy năm nay. Làm hộ chiếu cho con ở đâu ạ?"
    words = [t for t, _, _ in tokens(text)]
    assert "nghe_an" not in words and "cong_nhan" not in words
    assert "ho_chieu" in words
    assert cues(text) == ["agency"]
