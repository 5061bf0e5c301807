"""The knowledge base's records: one procedure and the parts it is made of.

Plain dataclasses, no pydantic: both the Rasa environment (pydantic 1) and the gateway
(pydantic 2) import this package.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

ChannelKind = Literal["in_person", "online", "post", "other"]
TimeUnit = Literal["working_days", "days", "hours", "same_day", "months", "years", "other"]

CHANNEL_LABELS: dict[str, str] = {
    "in_person": "Trực tiếp",
    "online": "Trực tuyến",
    "post": "Dịch vụ bưu chính",
    "other": "Khác",
}
TIME_UNIT_LABELS: dict[str, str] = {
    "working_days": "ngày làm việc",
    "days": "ngày",
    "hours": "giờ",
    "same_day": "trong ngày",
    "months": "tháng",
    "years": "năm",
    "other": "",
}


@dataclass(frozen=True)
class TimeLimit:
    """A time limit such as 8 ngày làm việc; `value` is None for "trong ngày" or unparsed text."""

    value: float | None
    unit: TimeUnit
    text: str


@dataclass(frozen=True)
class Fee:
    """A fee in đồng; `amount` is 0 when free and None when only `text` could be read."""

    amount: int | None
    is_free: bool
    text: str


@dataclass(frozen=True)
class Channel:
    """One row of the portal's submission table: how to submit, how long, how much."""

    kind: ChannelKind
    label: str
    time_limit: TimeLimit | None
    fee: Fee | None
    note: str = ""


@dataclass(frozen=True)
class Document:
    """One document to submit or present; quantities are counts of originals and copies."""

    name: str
    originals: int | None = None
    copies: int | None = None
    form: str = ""
    group: str = ""
    note: str = ""

    @property
    def quantity(self) -> str:
        """'1 bản chính, 2 bản sao', or '' when the source gives no count."""
        parts = []
        if self.originals:
            parts.append(f"{self.originals} bản chính")
        if self.copies:
            parts.append(f"{self.copies} bản sao")
        return ", ".join(parts)


@dataclass(frozen=True)
class LegalDoc:
    """A legal basis entry: title and number (e.g. 123/2015/NĐ-CP)."""

    title: str
    number: str


@dataclass(frozen=True)
class Procedure:
    """One administrative procedure, keyed by its national code (mã thủ tục)."""

    code: str
    name: str
    url: str
    snapshot_date: str
    levels: tuple[str, ...] = ()
    field: str = ""
    kind: str = ""
    applicants: str = ""
    decision: str = ""
    source_group: str = ""
    agency: str = ""
    agency_source: str = ""
    documents: tuple[Document, ...] = ()
    channels: tuple[Channel, ...] = ()
    steps: tuple[str, ...] = ()
    conditions: tuple[str, ...] = ()
    legal_basis: tuple[LegalDoc, ...] = ()
    result: str = ""
    related: str = ""
    # Curated overlay (knowledge/overlay/), merged at load time, never written by an import.
    everyday_names: tuple[str, ...] = ()
    maintainer_notes: tuple[str, ...] = ()
    popularity: float = 0.0
    issues: tuple[str, ...] = ()
    short_name: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Procedure:
        def opt(kind: Any, value: Any) -> Any:
            return kind(**value) if value is not None else None

        return cls(
            **{
                **data,
                "levels": tuple(data.get("levels", ())),
                "documents": tuple(Document(**d) for d in data.get("documents", ())),
                "channels": tuple(
                    Channel(
                        kind=c["kind"],
                        label=c["label"],
                        time_limit=opt(TimeLimit, c.get("time_limit")),
                        fee=opt(Fee, c.get("fee")),
                        note=c.get("note", ""),
                    )
                    for c in data.get("channels", ())
                ),
                "steps": tuple(data.get("steps", ())),
                "conditions": tuple(data.get("conditions", ())),
                "legal_basis": tuple(LegalDoc(**d) for d in data.get("legal_basis", ())),
                "everyday_names": tuple(data.get("everyday_names", ())),
                "maintainer_notes": tuple(data.get("maintainer_notes", ())),
                "issues": tuple(data.get("issues", ())),
            }
        )
