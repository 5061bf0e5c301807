"""kb diff: new, removed and changed procedures, with the values a citizen would be told."""

from __future__ import annotations

from dataclasses import replace

from knowledge.diff import AGENCY, DOCUMENT, FEE, NAME, TIME_LIMIT, diff
from knowledge.model import Channel, Document, Fee, Procedure, TimeLimit


def _procedure(code: str, **fields: object) -> Procedure:
    base = Procedure(
        code=code,
        name=f"Thủ tục {code}",
        url=f"https://dichvucong.gov.vn/{code}",
        snapshot_date="2026-07",
        agency="Công an cấp tỉnh",
        channels=(
            Channel(
                "online",
                "Trực tuyến",
                TimeLimit(8.0, "working_days", "8 Ngày làm việc"),
                Fee(160000, False, ""),
            ),
            Channel(
                "in_person",
                "Trực tiếp",
                TimeLimit(8.0, "working_days", "8 Ngày làm việc"),
                Fee(200000, False, ""),
            ),
        ),
        documents=(Document("Tờ khai TK01", originals=1), Document("Ảnh 4x6", originals=2)),
    )
    return replace(base, **fields)  # type: ignore[arg-type]


def test_the_same_knowledge_base_has_no_changes() -> None:
    procedures = [_procedure("1.000001"), _procedure("1.000002")]
    result = diff(procedures, list(procedures))
    assert not result
    assert result.lines() == ["Không có thay đổi."]


def test_new_and_removed_procedures_are_listed_by_code_and_name() -> None:
    result = diff(
        [_procedure("1.000001"), _procedure("1.000002")], [_procedure("1.000002"), _procedure("1.000003")]
    )
    assert result.added == (("1.000003", "Thủ tục 1.000003"),)
    assert result.removed == (("1.000001", "Thủ tục 1.000001"),)
    assert result.changed == ()


def test_a_changed_fee_is_reported_for_its_channel_in_dong() -> None:
    before = _procedure("1.001456")
    channels = (before.channels[0], replace(before.channels[1], fee=Fee(250000, False, "")))
    result = diff([before], [replace(before, channels=channels)])
    (changed,) = result.changed
    assert [(c.field, c.what, c.before, c.after) for c in changed.changes] == [
        (FEE, "Trực tiếp", "200.000 đồng", "250.000 đồng")
    ]
    assert "  Lệ phí (Trực tiếp): 200.000 đồng → 250.000 đồng" in result.lines()


def test_a_fee_made_free_and_a_time_limit_changed() -> None:
    before = _procedure("1.000001")
    online = replace(before.channels[0], fee=Fee(0, True, ""), time_limit=TimeLimit(5.0, "working_days", ""))
    result = diff([before], [replace(before, channels=(online, before.channels[1]))])
    changes = {(c.field, c.what): (c.before, c.after) for c in result.changed[0].changes}
    assert changes == {
        (FEE, "Trực tuyến"): ("160.000 đồng", "Miễn phí"),
        (TIME_LIMIT, "Trực tuyến"): ("8 ngày làm việc", "5 ngày làm việc"),
    }


def test_documents_added_removed_and_requantified() -> None:
    before = _procedure("1.001193")
    documents = (
        Document("Tờ khai TK01", originals=1),
        Document("Ảnh 4x6", originals=1),
        Document("Giấy chứng sinh", originals=1),
    )
    result = diff([before], [replace(before, documents=documents)])
    changes = [(c.field, c.what, c.before, c.after) for c in result.changed[0].changes]
    assert (DOCUMENT, "thêm", "(không có)", "Giấy chứng sinh (1 bản chính)") in changes
    assert (DOCUMENT, "số lượng: Ảnh 4x6", "2 bản chính", "1 bản chính") in changes
    assert len(changes) == 2

    removed = diff([before], [replace(before, documents=before.documents[:1])])
    assert [(c.what, c.before) for c in removed.changed[0].changes] == [("bỏ", "Ảnh 4x6 (2 bản chính)")]


def test_agency_and_name_changes() -> None:
    before = _procedure("1.000001")
    after = replace(before, agency="Công an cấp xã", name="Thủ tục mới tên")
    fields = [(c.field, c.before, c.after) for c in diff([before], [after]).changed[0].changes]
    assert fields == [
        (NAME, "Thủ tục 1.000001", "Thủ tục mới tên"),
        (AGENCY, "Công an cấp tỉnh", "Công an cấp xã"),
    ]


def test_a_channel_that_appears_is_reported_from_nothing() -> None:
    before = _procedure("1.000001")
    post = Channel("post", "Dịch vụ bưu chính", None, Fee(None, False, "Theo giá cước bưu chính"))
    result = diff([before], [replace(before, channels=(*before.channels, post))])
    changes = [(c.field, c.what, c.before, c.after) for c in result.changed[0].changes]
    assert changes == [
        (FEE, "Dịch vụ bưu chính", "(không có)", "Theo giá cước bưu chính"),
    ]
