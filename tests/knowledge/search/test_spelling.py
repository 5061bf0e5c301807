"""Spelling repair: Telex leftovers and words run together, only where the repaired word is known."""

from __future__ import annotations

import pytest

from knowledge.search import default_index
from knowledge.search.spelling import Speller, telex


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("ddawng", "đăng"), ("kys", "ký"), ("hooj", "hộ"), ("chieeus", "chiếu"), ("cuwf", "cừ"), ("xaax", "xẫ")],
)
def test_telex(typed: str, meant: str) -> None:
    assert telex(typed) == meant


@pytest.mark.parametrize("word", ["dang", "ho", "chieu", "xa"])
def test_no_telex_keys(word: str) -> None:
    assert telex(word) is None


def test_repairs_only_unknown_words_into_known_ones() -> None:
    speller = Speller(written=["đăng", "ký", "hộ", "chiếu"], plain=["dang", "ky", "ho", "chieu", "lam"])
    assert speller.repair("ddawng kys") == ("đăng ký", [("ddawng", "đăng"), ("kys", "ký")])
    assert speller.repair("lamho chieu") == ("lam ho chieu", [("lamho", "lam ho")])
    assert speller.repair("qwrtz") == ("qwrtz", [])
    assert speller.repair("đăng ký hộ chiếu") == ("đăng ký hộ chiếu", [])


def test_a_tone_slip_is_left_to_the_matching_without_diacritics() -> None:
    speller = Speller(written=["nắng"], plain=["nang", "na", "ng"])
    assert speller.repair("nẵng") == ("nẵng", [])


def test_the_project_speller_knows_the_vocabulary() -> None:
    speller = default_index().speller
    assert speller.known("bao") and speller.known("nhiêu") and speller.known("passport")
    assert speller.repair("lam hoo chieeu")[0] == "lam hô chiêu"
