"""What changed between two versions of the knowledge base: new, removed and changed procedures.

Compared per procedure: fees and time limits (per submission channel), documents (added, removed,
quantities changed), agency and name. Values are written the way a citizen would read them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from knowledge.model import TIME_UNIT_LABELS, Channel, Document, Procedure

# Field labels as a maintainer at a provincial office reads them.
FEE, TIME_LIMIT, DOCUMENT, AGENCY, NAME = (
    "Lệ phí",
    "Thời hạn giải quyết",
    "Giấy tờ",
    "Cơ quan thực hiện",
    "Tên",
)
NONE = "(không có)"


@dataclass(frozen=True)
class Change:
    """One changed value: `what` is the field (and channel or document), then the old and new values."""

    field: str
    what: str
    before: str
    after: str


@dataclass(frozen=True)
class ProcedureChanges:
    """The changes to one procedure that is in both versions."""

    code: str
    name: str
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class KnowledgeDiff:
    """Procedures added, removed and changed between a previous and a new knowledge base."""

    added: tuple[tuple[str, str], ...] = ()  # (code, name)
    removed: tuple[tuple[str, str], ...] = ()
    changed: tuple[ProcedureChanges, ...] = field(default=())

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def lines(self) -> list[str]:
        """A readable report, one change per line."""
        if not self:
            return ["Không có thay đổi."]
        lines = [
            f"{len(self.added)} thủ tục mới, {len(self.removed)} thủ tục bị bỏ, "
            f"{len(self.changed)} thủ tục thay đổi."
        ]
        for title, group in (("Thủ tục mới", self.added), ("Thủ tục bị bỏ", self.removed)):
            if group:
                lines += ["", f"{title}:", *(f"  {code}  {name}" for code, name in group)]
        for procedure in self.changed:
            lines += ["", f"{procedure.code}  {procedure.name}"]
            for change in procedure.changes:
                where = f" ({change.what})" if change.what else ""
                lines.append(f"  {change.field}{where}: {change.before} → {change.after}")
        return lines


def money(amount: int) -> str:
    """160000 → "160.000 đồng" (Vietnamese thousands separator)."""
    return f"{amount:,} đồng".replace(",", ".")


def fee_text(channel: Channel) -> str:
    fee = channel.fee
    if fee is None:
        return NONE
    if fee.is_free:
        return "Miễn phí"
    return money(fee.amount) if fee.amount is not None else (fee.text or NONE)


def time_text(channel: Channel) -> str:
    limit = channel.time_limit
    if limit is None:
        return NONE
    if limit.value is None or limit.unit == "other":
        return limit.text or TIME_UNIT_LABELS.get(limit.unit, "") or NONE
    value = int(limit.value) if float(limit.value).is_integer() else limit.value
    return f"{value} {TIME_UNIT_LABELS[limit.unit]}"


def _by_channel(procedure: Procedure, text: Any) -> dict[str, str]:
    """One value per channel label; a label listed twice gets both values."""
    values: dict[str, list[str]] = {}
    for channel in procedure.channels:
        values.setdefault(channel.label or channel.kind, []).append(text(channel))
    return {label: "; ".join(texts) for label, texts in values.items()}


def _channel_changes(field_name: str, before: Procedure, after: Procedure, text: Any) -> list[Change]:
    old, new = _by_channel(before, text), _by_channel(after, text)
    labels = [*old, *(label for label in new if label not in old)]
    return [
        Change(field_name, label, old.get(label, NONE), new.get(label, NONE))
        for label in labels
        if old.get(label, NONE) != new.get(label, NONE)
    ]


def quantity(document: Document) -> str:
    return document.quantity or "không ghi số lượng"


def _short(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _document_changes(before: Procedure, after: Procedure) -> list[Change]:
    old = {" ".join(d.name.split()): d for d in before.documents}
    new = {" ".join(d.name.split()): d for d in after.documents}
    changes = [
        Change(DOCUMENT, "bỏ", f"{_short(name)} ({quantity(d)})", NONE)
        for name, d in old.items()
        if name not in new
    ]
    changes += [
        Change(DOCUMENT, "thêm", NONE, f"{_short(name)} ({quantity(d)})")
        for name, d in new.items()
        if name not in old
    ]
    changes += [
        Change(DOCUMENT, f"số lượng: {_short(name, 60)}", quantity(old[name]), quantity(new[name]))
        for name in old
        if name in new and quantity(old[name]) != quantity(new[name])
    ]
    return changes


def procedure_changes(before: Procedure, after: Procedure) -> list[Change]:
    """Everything a citizen would be told differently about one procedure."""
    changes: list[Change] = []
    if before.name != after.name:
        changes.append(Change(NAME, "", before.name, after.name))
    changes += _channel_changes(FEE, before, after, fee_text)
    changes += _channel_changes(TIME_LIMIT, before, after, time_text)
    changes += _document_changes(before, after)
    if before.agency != after.agency:
        changes.append(Change(AGENCY, "", before.agency or NONE, after.agency or NONE))
    return changes


def diff(previous: Iterable[Procedure], new: Iterable[Procedure]) -> KnowledgeDiff:
    """Compare two knowledge bases by national code."""
    old_by_code = {p.code: p for p in previous}
    new_by_code = {p.code: p for p in new}
    changed = []
    for code in sorted(old_by_code.keys() & new_by_code.keys()):
        changes = procedure_changes(old_by_code[code], new_by_code[code])
        if changes:
            changed.append(ProcedureChanges(code, new_by_code[code].name, tuple(changes)))
    return KnowledgeDiff(
        added=tuple((c, new_by_code[c].name) for c in sorted(new_by_code.keys() - old_by_code.keys())),
        removed=tuple((c, old_by_code[c].name) for c in sorted(old_by_code.keys() - new_by_code.keys())),
        changed=tuple(changed),
    )
