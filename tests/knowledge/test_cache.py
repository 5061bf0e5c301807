"""The on-disk cache of the search index and knowledge base: same results, rebuilt when stale or corrupt."""

from __future__ import annotations

import marshal
import unicodedata
from itertools import islice
from pathlib import Path

import pytest
import yaml

from knowledge import cache, paths
from knowledge.base import load_from
from knowledge.search import SearchIndex, cached_index, default_ranker, rank

DEV = Path(__file__).parent / "data" / "search_dev.yml"
CODES = ("1.001193", "1.001456", "1.014061", "1.000894", "2.000528", "1.003583")
OVERLAY = [
    {
        "code": "1.001193",
        "name": "Đăng ký khai sinh",
        "everyday_names": ["làm giấy khai sinh"],
        "popularity": 1.0,
    },
    {"code": "1.001456", "name": "Cấp hộ chiếu", "everyday_names": ["làm hộ chiếu"], "popularity": 0.9},
]


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """A small procedures file (the first 300 procedures plus a few known ones) and an overlay."""
    monkeypatch.setenv(cache.ENV, str(tmp_path / "cache"))
    with paths.PROCEDURES.open(encoding="utf-8") as source:
        lines = [line for line in source if line.strip()]
    chosen = list(islice(lines, 300)) + [line for line in lines[300:] if any(f'"{c}"' in line for c in CODES)]
    procedures = tmp_path / "procedures.jsonl"
    procedures.write_text("".join(chosen), encoding="utf-8")
    overlay = tmp_path / "overlay"
    overlay.mkdir()
    (overlay / "a.yml").write_text(yaml.safe_dump(OVERLAY, allow_unicode=True), encoding="utf-8")
    return procedures, overlay


def queries() -> list[str]:
    items = yaml.safe_load(DEV.read_text(encoding="utf-8"))
    return [unicodedata.normalize("NFC", item["text"]) for item in items] + ["giay khai sinh", "ho chiu"]


def rankings(index: SearchIndex) -> list[tuple[list[tuple[str, float]], bool]]:
    out = []
    for text in queries():
        ranking = rank(index, default_ranker(), text, limit=10)
        out.append(([(hit.code, hit.score) for hit in ranking], ranking.too_close))
    return out


def entry(name: str) -> Path:
    directory = cache.cache_dir()
    assert directory is not None
    found = list(directory.glob(f"{name}-py*.marshal"))
    assert len(found) == 1
    return found[0]


def test_cache_hit_gives_identical_rankings(
    files: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    procedures, overlay = files
    built = SearchIndex(load_from(procedures, overlay))
    first = cached_index(procedures, overlay, lambda: load_from(procedures, overlay))
    assert entry("search_index").exists()

    def no_build(*_: object) -> None:
        raise AssertionError("the index was rebuilt despite an up-to-date cache")

    monkeypatch.setattr(SearchIndex, "__init__", no_build)
    restored = cached_index(procedures, overlay, lambda: load_from(procedures, overlay))
    assert restored is not first
    assert rankings(restored) == rankings(built) == rankings(first)
    assert rank(restored, default_ranker(), "giấy khai sinh").top == "1.001193"


def test_changed_overlay_rebuilds(files: tuple[Path, Path]) -> None:
    procedures, overlay = files
    builds: list[int] = []

    def knowledge() -> list:
        builds.append(1)
        return list(load_from(procedures, overlay))

    cached_index(procedures, overlay, knowledge)
    cached_index(procedures, overlay, knowledge)
    assert len(builds) == 1
    extended = [*OVERLAY, {"code": "1.014061", "name": "Cấp căn cước", "everyday_names": ["thẻ xanh lá"],
                           "popularity": 0.5}]  # fmt: skip
    (overlay / "a.yml").write_text(yaml.safe_dump(extended, allow_unicode=True), encoding="utf-8")
    index = cached_index(procedures, overlay, knowledge)
    assert len(builds) == 2
    assert rank(index, default_ranker(), "thẻ xanh lá").top == "1.014061"
    (overlay / "b.yml").write_text("[]\n", encoding="utf-8")  # a new (empty) overlay file counts too
    cached_index(procedures, overlay, knowledge)
    assert len(builds) == 3


def test_changed_procedures_rebuild(files: tuple[Path, Path]) -> None:
    procedures, overlay = files
    builds: list[int] = []

    def knowledge() -> list:
        builds.append(1)
        return list(load_from(procedures, overlay))

    before = cached_index(procedures, overlay, knowledge)
    lines = procedures.read_text(encoding="utf-8").splitlines(keepends=True)
    dropped = before.codes[0]
    procedures.write_text("".join(line for line in lines if f'"{dropped}"' not in line), encoding="utf-8")
    after = cached_index(procedures, overlay, knowledge)
    assert len(builds) == 2
    assert dropped not in after.codes
    assert len(after.codes) == len(before.codes) - 1


@pytest.mark.parametrize("garbage", [b"", b"\x00garbage\xff" * 10, "truncate", "wrong shape"])
def test_corrupt_cache_is_rebuilt(files: tuple[Path, Path], garbage: bytes | str) -> None:
    procedures, overlay = files
    first = cached_index(procedures, overlay, lambda: load_from(procedures, overlay))
    path = entry("search_index")
    raw = path.read_bytes()
    if garbage == "truncate":
        path.write_bytes(raw[: len(raw) // 2])
    elif garbage == "wrong shape":  # readable, right key, but not an index
        name, key, _ = marshal.loads(raw)
        path.write_bytes(marshal.dumps((name, key, ("not", "an", "index"))))
    else:
        assert isinstance(garbage, bytes)
        path.write_bytes(garbage)
    rebuilt = cached_index(procedures, overlay, lambda: load_from(procedures, overlay))
    assert rankings(rebuilt) == rankings(first)
    assert path.read_bytes() == raw  # rewritten whole


def test_unreadable_cache_directory_is_ignored(
    files: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    procedures, overlay = files
    blocker = procedures.parent / "not_a_directory"
    blocker.write_text("a file where the cache directory should be", encoding="utf-8")
    monkeypatch.setenv(cache.ENV, str(blocker / "cache"))
    index = cached_index(procedures, overlay, lambda: load_from(procedures, overlay))
    assert rank(index, default_ranker(), "làm hộ chiếu").top == "1.001456"


def test_cache_turned_off(files: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    procedures, overlay = files
    monkeypatch.setenv(cache.ENV, "")
    assert cache.cache_dir() is None
    cached_index(procedures, overlay, lambda: load_from(procedures, overlay))
    load_from(procedures, overlay, use_cache=True)
    assert not (tmp_path / "cache").exists()


def test_cached_knowledge_base_is_identical_and_lazy(files: tuple[Path, Path]) -> None:
    procedures, overlay = files
    eager = load_from(procedures, overlay)
    first = load_from(procedures, overlay, use_cache=True)  # builds the entry
    lazy = load_from(procedures, overlay, use_cache=True)
    assert lazy._spans and not lazy._by_code  # nothing parsed yet
    assert len(lazy) == len(eager)
    assert "1.001193" in lazy and "9.999999" not in lazy
    assert lazy.get("9.999999") is None
    with pytest.raises(KeyError):
        lazy["9.999999"]
    assert lazy["1.001193"].short_name == "Đăng ký khai sinh"  # overlay merged
    assert lazy["1.001193"] is lazy.get("1.001193")
    assert list(lazy) == list(eager) == list(first)


def test_corrupt_knowledge_base_entry_is_rebuilt(files: tuple[Path, Path]) -> None:
    procedures, overlay = files
    load_from(procedures, overlay, use_cache=True)
    entry("procedures").write_bytes(b"\x01\x02not marshal")
    rebuilt = load_from(procedures, overlay, use_cache=True)
    assert list(rebuilt) == list(load_from(procedures, overlay))
    assert load_from(procedures, overlay, use_cache=True)._spans  # rewritten: lazy again
