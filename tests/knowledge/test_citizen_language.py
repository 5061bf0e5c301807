"""The citizen-language generator: seeded, labelled from the knowledge base, in every style."""

from __future__ import annotations

import random

import pytest

from knowledge import citizen_language
from knowledge.base import load
from knowledge.citizen_language import styles
from knowledge.text import has_diacritics

PROCEDURES = [
    p for p in load() if p.code in {"1.001193", "1.001456", "1.014064", "2.000806", "1.000894", "3.000347"}
]


def test_the_same_seed_gives_the_same_messages() -> None:
    first = citizen_language.generate(PROCEDURES, 5, seed=3)
    assert first == citizen_language.generate(PROCEDURES, 5, seed=3)
    assert first != citizen_language.generate(PROCEDURES, 5, seed=4)


def test_every_message_is_labelled_with_its_procedure() -> None:
    messages = citizen_language.generate(PROCEDURES, 8, seed=1)
    assert len(messages) == 8 * len(PROCEDURES)
    codes = {p.code for p in PROCEDURES}
    assert all(m.codes and set(m.codes) & codes for m in messages)
    assert {m.style for m in messages} <= set(citizen_language.STYLES)
    assert all(m.intent.startswith("ask_") or m.intent == "inform" for m in messages)


def test_unaccented_messages_have_no_diacritics() -> None:
    rng = random.Random(1)
    assert not has_diacritics(citizen_language.write("làm hộ chiếu hết bao nhiêu tiền", "unaccented", rng))


def test_abbreviations_come_from_the_vocabulary() -> None:
    text = styles.abbreviate("đăng ký căn cước công dân không được", random.Random(2), share=1.0)
    assert text.split()[0] in {"dk", "đk", "dky", "đky"}
    assert "cccd" in text


@pytest.mark.parametrize("seed", range(5))
def test_a_typo_changes_the_word(seed: int) -> None:
    assert styles.typo("chiếu", random.Random(seed)) != "chiếu"


def test_telex_leftovers_and_tones() -> None:
    assert styles._telex("đăng") == "ddawng"
    assert styles._telex("ký") == "kys"


def test_long_messages_tell_a_story_first() -> None:
    long = [m for m in citizen_language.generate(PROCEDURES, 40, seed=5) if m.style == "long"]
    assert long and all(m.text.count(".") >= 1 for m in long)


def test_a_variant_said_in_a_story_pairs_with_the_common_procedure() -> None:
    pairs = citizen_language.contrasts(PROCEDURES, 2, seed=9)
    assert pairs, "the marriage with a foreign element has its common sibling"
    variant, common = pairs[0], pairs[1]
    assert variant.codes != common.codes
    assert common.text in variant.text or len(variant.text) > len(common.text)


def test_follow_ups_name_no_procedure() -> None:
    assert all(not m.codes for m in citizen_language.follow_ups(30, seed=2))
