"""What of a variant a message states, and a name read without who it is for."""

from __future__ import annotations

import pytest

from knowledge.search import details_stated, without_subject


@pytest.mark.parametrize(
    ("text", "stated"),
    [
        ("con em mới 7 tuổi", "subject"),
        ("thẻ của tôi bị mất rồi", "action"),
        ("chồng em là người Hàn Quốc", "variant"),
    ],
)
def test_a_detail_is_read_as_what_it_states(text: str, stated: str) -> None:
    assert stated in details_stated(text)


def test_a_question_alone_states_no_detail() -> None:
    assert not details_stated("nộp ở đâu vậy")


@pytest.mark.parametrize(
    ("name", "left"),
    [
        ("Cấp thẻ căn cước cho người dưới 14 tuổi", "cấp thẻ căn cước"),
        ("Cấp thẻ căn cước (lần đầu, từ đủ 14 tuổi)", "cấp thẻ căn cước"),
        ("Đăng ký khai sinh", "đăng ký khai sinh"),
    ],
)
def test_a_name_without_who_it_is_for(name: str, left: str) -> None:
    assert without_subject(name).startswith(left)
    assert "14" not in without_subject(name)
