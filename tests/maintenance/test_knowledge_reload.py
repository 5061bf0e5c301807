"""knowledge.base.load() follows an import: a new knowledge base within a second, the old one intact."""

from __future__ import annotations

import json
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from knowledge import base
from knowledge.importer import import_changed, read_export
from tests.maintenance.conftest import EXAMPLE, KnowledgeCopy


@pytest.fixture
def fresh(knowledge_copy: KnowledgeCopy) -> Iterator[KnowledgeCopy]:
    base.reset()
    yield knowledge_copy
    base.reset()


def _in_person_fee(knowledge: base.KnowledgeBase) -> int | None:
    channel = next(c for c in knowledge["1.001456"].channels if c.label == "Trực tiếp")
    return channel.fee.amount if channel.fee else None


def test_an_import_is_seen_within_a_second_and_readers_keep_the_old_one(fresh: KnowledgeCopy) -> None:
    old = base.load()
    assert _in_person_fee(old) == 200000
    import_changed(read_export(EXAMPLE), "2026-08", fresh.snapshot, fresh.procedures)
    deadline = time.monotonic() + base.RELOAD_INTERVAL + 1.0
    new = base.load()
    while new is old and time.monotonic() < deadline:
        time.sleep(0.05)
        new = base.load()
    assert new is not old
    assert _in_person_fee(new) == 250000
    assert _in_person_fee(old) == 200000  # a conversation mid-answer finishes with what it had
    assert base.load() is new  # no reload without a change


def test_the_search_index_follows_the_reload(fresh: KnowledgeCopy) -> None:
    from knowledge.search import default_index

    search = sys.modules["knowledge.search"]
    base.load()
    index = default_index()
    assert search.default_index() is index
    import_changed(read_export(EXAMPLE), "2026-08", fresh.snapshot, fresh.procedures)
    time.sleep(base.RELOAD_INTERVAL + 0.1)
    base.load()
    assert search.default_index() is not index


def test_concurrent_readers_during_imports_always_get_a_whole_knowledge_base(fresh: KnowledgeCopy) -> None:
    errors: list[BaseException] = []
    fees: set[int | None] = set()
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            try:
                knowledge = base.load()
                assert len(knowledge) == 2642
                fees.add(_in_person_fee(knowledge))
                time.sleep(0.002)  # a reader per request, not a busy loop starving the import of the GIL
            except BaseException as error:  # reported below
                errors.append(error)
                return

    readers = [threading.Thread(target=read) for _ in range(4)]
    for reader in readers:
        reader.start()
    try:
        import_changed(read_export(EXAMPLE), "2026-08", fresh.snapshot, fresh.procedures)
        time.sleep(base.RELOAD_INTERVAL + 0.5)
    finally:
        stop.set()
        for reader in readers:
            reader.join()
    assert errors == []
    assert fees == {200000, 250000}


def test_a_broken_file_keeps_the_previous_knowledge_base(fresh: KnowledgeCopy) -> None:
    old = base.load()
    fresh.procedures.write_text(
        '{"code": "1.000001", "name": "half', encoding="utf-8"
    )  # not atomic on purpose
    time.sleep(base.RELOAD_INTERVAL + 0.1)
    assert base.load() is old


def test_a_renamed_procedure_is_found_by_its_new_name_after_the_reload(
    fresh: KnowledgeCopy, tmp_path: Path
) -> None:
    from knowledge.search import search

    base.load()
    assert not search("thủ tục kỳ lân bảy màu") or search("thủ tục kỳ lân bảy màu")[0].code != "1.001456"
    record = json.loads(EXAMPLE.read_text(encoding="utf-8").splitlines()[1])
    record["ten_thu_tuc"] += " (thủ tục kỳ lân bảy màu)"
    renamed = tmp_path / "renamed.json"
    renamed.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    import_changed(read_export(renamed), "2026-08", fresh.snapshot, fresh.procedures)
    time.sleep(base.RELOAD_INTERVAL + 0.1)
    base.load()
    ranking = search("thủ tục kỳ lân bảy màu")
    assert ranking and ranking[0].code == "1.001456"
