"""Procedure search: held-out accuracy, the common variant first, and bad input."""

from __future__ import annotations

import time
import unicodedata
from pathlib import Path
from typing import Any

import pytest
import yaml

from knowledge.judged import messages
from knowledge.search import Ranking, search
from knowledge.text import strip_diacritics

DATA = Path(__file__).parent / "data"
HELDOUT = DATA / "search_heldout.yml"
HELDOUT_V2 = DATA / "search_heldout_v2.yml"
HELDOUT_V4 = DATA / "search_heldout_v4.yml"
DEV = DATA / "search_dev.yml"
DEV_UNCURATED = DATA / "search_dev_uncurated.yml"  # procedures without curated everyday names
DEV_SIBLINGS = DATA / "search_dev_siblings.yml"  # the right sibling: action, subject, channel, level
DEV_V3 = DATA / "search_dev_v3.yml"  # ~250 procedures sampled by popularity and field, curated or not
DEV_V5 = DATA / "search_dev_v5.yml"  # siblings at other levels or bodies; uncurated and rare procedures
DEV_V6 = DATA / "search_dev_v6.yml"  # rare citizen procedures drawn with fixed seeds; quốc tịch abroad
CALIBRATION = Path(__file__).parents[1] / "sets" / "dev_2026_12" / "messages.yml"


def load_items(path: Path) -> list[dict[str, Any]]:
    items = yaml.safe_load(path.read_text(encoding="utf-8"))
    for item in items:
        if item["style"] == "nfd":
            item["text"] = unicodedata.normalize("NFD", item["text"])
    return items


def accuracy(items: list[dict[str, Any]], top: int) -> float:
    hits = sum(any(hit.code in item["codes"] for hit in search(item["text"], limit=top)) for item in items)
    return hits / len(items)


class TestHeldOut:
    # Regression floors, not targets: v1 is development data (fitted on); v2 and v4 were held out from
    # the ranker's training but their figures were read during its development.
    def test_v1(self) -> None:
        assert accuracy(load_items(HELDOUT), 1) >= 0.93

    def test_v2(self) -> None:
        items = load_items(HELDOUT_V2)
        assert accuracy(items, 1) >= 0.87
        assert accuracy(items, 3) >= 0.94

    def test_v4(self) -> None:
        items = load_items(HELDOUT_V4)
        assert accuracy(items, 1) >= 0.89
        assert accuracy(items, 3) >= 0.96

    def test_without_diacritics(self) -> None:
        for path in (HELDOUT_V2, HELDOUT_V4):
            items = [{**item, "text": strip_diacritics(item["text"])} for item in load_items(path)]
            assert accuracy(items, 1) >= 0.86, path.name


@pytest.mark.parametrize(
    "path", [DEV, DEV_UNCURATED, DEV_SIBLINGS, DEV_V3, DEV_V5, DEV_V6], ids=lambda p: p.stem
)
def test_development_sets(path: Path) -> None:
    # The ranker is fitted on these: floors catch a broken stage, not a lack of generalisation.
    items = load_items(path)
    assert accuracy(items, 1) >= 0.85
    assert accuracy(items, 3) >= 0.93


def test_calibration_set_links_few_wrong() -> None:
    # The threshold is chosen on tests/sets/dev_2026_12 (never fitted on): few confident wrong links.
    items = [i for i in messages(CALIBRATION) if i.codes]
    rankings = [search(i.text) for i in items]
    wrong = sum(1 for i, r in zip(items, rankings, strict=True) if r.confident and r.top not in i.codes)
    right = sum(1 for i, r in zip(items, rankings, strict=True) if r.confident and r.top in i.codes)
    assert wrong / len(items) <= 0.04
    assert right / len(items) >= 0.75


def test_nfd_ranks_as_nfc() -> None:
    for path in (DEV, DEV_SIBLINGS):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")):
            text = unicodedata.normalize("NFC", item["text"])
            assert list(search(unicodedata.normalize("NFD", text))) == list(search(text)), text


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # the action asked picks the sibling: first issue, re-issue, exchange, extend, cancel
        ("bi mat cccd lam lai", "1.014064"),
        ("can cuoc het han", "1.014063"),
        ("mất chứng chỉ môi giới bất động sản", "1.012907"),
        ("gia han giay phep xay dung", "1.013227"),
        ("huy dang ky tam tru", "1.010028"),
        # the subject: household business or company
        ("mat giay phep kinh doanh cty", "2.002018"),
        ("tam ngung kd hkd", "1.001570"),
        # the channel: fully online only when asked
        ("đăng ký xe máy mới mua lần đầu", "1.013067"),
        ("dang ky xe tam thoi online toan trinh", "1.013083"),
    ],
)
def test_siblings(text: str, code: str) -> None:
    assert search(text).top == code


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # "mất": death, duration or loss, read from the words around it
        ("bố tôi mất rồi làm thủ tục gì", "1.000656"),
        ("bo toi moi mat can lam giay to gi", "1.000656"),
        ("làm hộ chiếu mất bao lâu", "1.001456"),
        ("lam cccd mat may ngay", "1.014061"),
        ("làm mất căn cước thì sao", "1.014064"),
        ("mất sổ đỏ", "1.012786"),
        # "nhập khẩu": import goods, or register residence
        ("nhập khẩu ô tô cũ", "1.000115"),
        ("nhập khẩu cho con vào nhà ông bà", "1.004222"),
    ],
)
def test_word_senses(text: str, code: str) -> None:
    assert search(text).top == code


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("lam ho chieu het bao nhieu tien", "1.001456"),
        ("làm hộ chiếu hết bao nhiêu tiền", "1.001456"),
        ("lam ho chiu o dau", "1.001456"),  # typo
        ("passport", "1.001456"),
        ("lam cccd het bn tien", "1.014061"),
        ("doi bang lai xe can giay to j", "3.000347"),
        ("giấy xác nhận độc thân", "1.004873"),
        ("nhập hộ khẩu", "1.004222"),
        ("dang ky tam chu", "1.004194"),  # tr/ch confusion
        ("đăng ký khai sinh", "1.001193"),
        ("làm hộ chiếu trên vneid được không", "1.001456"),  # the channel is no procedure
        ("ddawng kys khai sinh cho con", "1.001193"),  # Telex leftovers
        ("lam hoo chieeu o dau", "1.001456"),
        ("lamho chieu het bao nhieu", "1.001456"),  # two words run together
        ("xin giay xac nhan doc than de lay chong", "1.004873"),
        # a story before the question
        (
            "Nhà em ở Hà Tây cũ, vợ em mới sinh bé được 2 tuần. "
            "Giờ em muốn làm giấy khai sinh cho bé thì cần mang gì ạ?",
            "1.001193",
        ),
    ],
)
def test_literal_cases(text: str, code: str) -> None:
    assert search(text).top == code


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # the level or body named picks the sibling published at that level
        ("cấp lại căn cước ở công an tỉnh", "2.001194"),
        ("cap lai can cuoc o cong an phuong", "1.014064"),
        ("cấp lại thẻ căn cước tại cục cảnh sát bộ công an", "1.000757"),
        ("trình báo mất hộ chiếu ở công an tỉnh", "1.001445"),
        ("tranh chấp đất đai chủ tịch tỉnh giải quyết", "1.012805"),
        ("giải quyết tranh chấp đất đai ở ubnd xã", "1.013967"),
        ("xin giấy phép môi trường ở bộ", "1.010719"),
        # none named: the lowest level, where citizens go
        ("trình báo mất giấy thông hành", "1.010055"),
        ("xin tem AB đi Cuba", "1.014903"),
        # a level named where the procedure has no sibling changes nothing; words that are no level
        ("làm hộ chiếu ở phường", "1.001456"),
        ("đăng ký kết hôn ở ủy ban xã", "1.000894"),
        ("chuyển khẩu từ tỉnh khác về", "1.004222"),
        ("tố cáo cán bộ công an tỉnh", "1.003482"),
        # mediation and settlement of a land dispute are sibling actions; the level picks the settlement
        ("hòa giải tranh chấp đất đai ở xã", "1.012812"),
        ("nhờ chủ tịch ubnd tỉnh giải quyết tranh chấp đất", "1.012805"),
        ("ubnd xa giai quyet tranh chap dat dai", "1.013967"),
    ],
)
def test_levels(text: str, code: str) -> None:
    assert search(text).top == code


def test_common_variant_before_specialised() -> None:
    codes = search("đăng ký khai sinh", limit=10).codes
    assert codes[0] == "1.001193"
    assert codes.index("1.001193") < codes.index("2.000528")  # có yếu tố nước ngoài
    if "1.003583" in codes:  # lưu động
        assert codes.index("1.001193") < codes.index("1.003583")


def test_specialised_variant_when_asked() -> None:
    assert search("đăng ký khai sinh lưu động").top == "1.003583"
    assert search("kết hôn với người nước ngoài").top == "2.000806"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # "ở nước ngoài" in a name is a place: a message about living abroad asks for it
        ("xac nhan co quoc tich viet nam tai dai su quan", "1.005137"),
        ("xin trở lại quốc tịch việt nam", "2.002038"),
        # an everyday phrase with "bị" slipped inside; appointing versus dismissing
        ("đổi tiền bị rách", "2.001077"),
        ("bổ nhiệm giám định viên tư pháp", "1.001122"),
        ("miễn nhiệm giám định viên tư pháp", "2.000894"),
    ],
)
def test_abroad_fillers_and_appointments(text: str, code: str) -> None:
    assert search(text).top == code


@pytest.mark.parametrize(
    ("text", "code"),
    [("đang sống ở Úc muốn thôi quốc tịch Việt Nam", "1.005141")],
)
def test_asked_rather_than_guessed(text: str, code: str) -> None:
    # Where the ranker is not sure between siblings it asks: the right one is linked or offered.
    ranking = search(text, limit=3)
    assert ranking.top == code if ranking.confident else ranking.too_close and code in ranking.codes


def test_nfd_input() -> None:
    text = unicodedata.normalize("NFD", "Thủ tục đăng ký kết hôn")
    assert search(text).top == "1.000894"


def test_scores_are_probabilities() -> None:
    ranking = search("làm hộ chiếu", limit=5)
    scores = [hit.score for hit in ranking]
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert sum(scores) + ranking.none <= 1.0 + 1e-3


@pytest.mark.parametrize(
    "text", ["lam ho chieu het bao nhieu tien", "đăng ký khai sinh cho con", "đổi bằng lái xe"]
)
def test_a_clear_message_is_linked(text: str) -> None:
    assert search(text).confident


@pytest.mark.parametrize(
    "text", ["cấp lại", "theo nghị định nào", "nộp ở đâu ạ", "mất bao lâu", "cảm ơn nhé"]
)
def test_a_message_that_names_no_procedure_is_not_linked(text: str) -> None:
    # A follow-up or a bare verb: asking which one is better than guessing.
    ranking = search(text)
    assert not ranking.confident


@pytest.mark.parametrize("text", ["", "   ", "😀😀😀", "\x00\x01", "?!", "12345"])
def test_nothing_to_find(text: str) -> None:
    ranking = search(text)
    assert isinstance(ranking, Ranking)
    assert ranking == []
    assert ranking.top is None
    assert not ranking.too_close and not ranking.confident


@pytest.mark.parametrize(
    "text",
    ["a" * 10_000, "làm hộ chiếu hết bao nhiêu tiền " * 330, "😀" * 10_000, "ho chieu" + "x" * 9_990],
)
def test_long_input(text: str) -> None:
    started = time.perf_counter()
    ranking = search(text)
    assert len(ranking) <= 5
    assert time.perf_counter() - started < 0.5


def test_limit() -> None:
    assert len(search("giấy phép", limit=12)) == 12
    assert search("giấy phép", limit=0) == []
