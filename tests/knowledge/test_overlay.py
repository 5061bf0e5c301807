"""The curated overlay: its files are valid, its codes exist, and bad files fail loudly."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from knowledge import paths
from knowledge.model import Procedure
from knowledge.overlay import apply_overlay, read_overlay, read_overlay_file
from knowledge.source import read_snapshot


@pytest.fixture(scope="module")
def overlay() -> dict[str, dict]:
    return read_overlay(paths.OVERLAY_DIR)


@pytest.fixture(scope="module")
def snapshot() -> dict[str, dict]:
    return {record["ma_thu_tuc"]: record for record in read_snapshot(paths.SNAPSHOT)}


def fold(text: str) -> str:
    """Lower case without diacritics, to compare everyday names across procedures."""
    text = unicodedata.normalize("NFD", text.lower()).replace("đ", "d")
    return " ".join("".join(ch for ch in text if unicodedata.category(ch) != "Mn").split())


def test_overlay_is_large_enough(overlay):
    assert len(overlay) >= 40


def test_every_code_exists_in_the_snapshot(overlay, snapshot):
    missing = sorted(code for code in overlay if code not in snapshot)
    assert not missing, f"overlay codes missing from the snapshot: {missing}"


def test_codes_are_unique_across_files():
    seen: dict[str, str] = {}
    for path in sorted(paths.OVERLAY_DIR.glob("*.yml")):
        for entry in read_overlay_file(path):
            code = entry["code"]
            assert code not in seen, f"{code} is in {path.name} and {seen[code]}"
            seen[code] = path.name


def test_every_entry_has_a_name_and_at_least_three_everyday_names(overlay):
    for code, entry in overlay.items():
        assert entry["name"].strip(), code
        assert len(entry["everyday_names"]) >= 3, code
        exact = [unicodedata.normalize("NFC", name.lower()) for name in entry["everyday_names"]]
        assert len(set(exact)) == len(exact), f"{code} lists an everyday name twice"


def test_an_everyday_name_points_to_one_procedure(overlay):
    owner: dict[str, str] = {}
    for code, entry in overlay.items():
        for name in entry["everyday_names"]:
            key = fold(name)
            assert owner.setdefault(key, code) == code, f"'{name}' is listed for {owner[key]} and {code}"


def test_popularity_is_a_prior_between_zero_and_one(overlay):
    assert all(0.0 <= entry["popularity"] <= 1.0 for entry in overlay.values())


def test_flagship_procedures_are_curated(overlay):
    for code in (
        "1.001193",
        "1.000894",
        "1.000656",
        "1.004222",
        "1.004194",
        "1.001456",
        "1.014061",
        "1.014063",
        "1.014064",
        "3.000347",
        "3.000333",
        "1.001612",
        "2.000815",
    ):
        assert code in overlay, code


def test_old_and_everyday_names_reach_the_right_siblings(overlay):
    def codes_for(name: str) -> set[str]:
        return {
            code
            for code, entry in overlay.items()
            if fold(name) in {fold(n) for n in entry["everyday_names"]}
        }

    assert codes_for("làm lại cccd bị mất") == {"1.014064"}
    assert codes_for("cccd hết hạn") == {"1.014063"}
    assert codes_for("nhập hộ khẩu") == {"1.004222"}
    assert codes_for("giấy xác nhận độc thân") == {"1.004873"}
    assert codes_for("sang tên sổ đỏ") == {"1.013831"}
    assert codes_for("đổi bằng lái") == {"3.000347"}
    assert codes_for("lam ho chieu") == {"1.001456"}


def test_common_variant_outranks_its_specialised_siblings(overlay):
    assert overlay["1.001193"]["popularity"] > overlay["2.000528"]["popularity"]
    assert overlay["1.000894"]["popularity"] > overlay["2.000806"]["popularity"]
    assert overlay["1.001456"]["popularity"] > overlay["1.001471"]["popularity"]
    assert overlay["1.001939"]["popularity"] > overlay["2.000639"]["popularity"]


def test_doubtful_fees_carry_a_maintainer_note(overlay):
    passport_notes = " ".join(overlay["1.001456"]["notes"])
    assert "44/2023/TT-BTC" in passport_notes
    assert "31/12/2023" in passport_notes
    assert any("31/12/2025" in note for note in overlay["3.000347"]["notes"])
    assert any("31/12/2026" in note for note in overlay["1.014063"]["notes"])


def test_apply_overlay_fills_the_curated_fields(overlay):
    bare = Procedure(code="1.001456", name="Cấp hộ chiếu phổ thông ở trong nước", url="", snapshot_date="")
    other = Procedure(code="9.999999", name="x", url="", snapshot_date="")
    merged, untouched = apply_overlay([bare, other], overlay)
    assert merged.short_name == "Cấp hộ chiếu phổ thông"
    assert "làm hộ chiếu" in merged.everyday_names
    assert merged.popularity == 1.0
    assert merged.maintainer_notes
    assert untouched == other


GOOD = """\
- code: "1.001193"
  name: Đăng ký khai sinh
  everyday_names: [làm giấy khai sinh, khai sinh cho con, dk khai sinh]
  popularity: 1.0
  notes: []
"""


def write(directory: Path, name: str, text: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / name).write_text(text, encoding="utf-8")
    return directory


def test_a_good_file_reads(tmp_path):
    entries = read_overlay(write(tmp_path, "a.yml", GOOD))
    assert entries["1.001193"]["everyday_names"][0] == "làm giấy khai sinh"


def test_duplicate_code_across_files_raises_with_the_file_name(tmp_path):
    write(tmp_path, "a.yml", GOOD)
    write(tmp_path, "b.yml", GOOD)
    with pytest.raises(ValueError, match=r"b\.yml.*1\.001193.*twice"):
        read_overlay(tmp_path)


def test_duplicate_code_in_one_file_raises(tmp_path):
    with pytest.raises(ValueError, match=r"a\.yml"):
        read_overlay(write(tmp_path, "a.yml", GOOD + GOOD))


@pytest.mark.parametrize("value", ["1.5", "-0.1", "high", "true"])
def test_popularity_out_of_range_raises(tmp_path, value):
    with pytest.raises(ValueError, match=r"a\.yml.*popularity"):
        read_overlay(write(tmp_path, "a.yml", GOOD.replace("popularity: 1.0", f"popularity: {value}")))


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("  notes: []", "  notes: []\n  aliases: [x]", "unknown key"),
        ("  name: Đăng ký khai sinh\n", "", "missing key"),
        ('code: "1.001193"', "code: 1.001193", "code"),
        ("[làm giấy khai sinh, khai sinh cho con, dk khai sinh]", "làm giấy khai sinh", "everyday_names"),
        ("  notes: []", '  notes: [""]', "notes"),
    ],
)
def test_malformed_entries_raise_with_the_file_name(tmp_path, old, new, message):
    with pytest.raises(ValueError, match=rf"a\.yml.*{message}"):
        read_overlay(write(tmp_path, "a.yml", GOOD.replace(old, new)))


def test_a_file_that_is_not_a_list_raises(tmp_path):
    with pytest.raises(ValueError, match=r"a\.yml.*list"):
        read_overlay(write(tmp_path, "a.yml", "code: '1.001193'\n"))
