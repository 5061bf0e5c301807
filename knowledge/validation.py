"""Reports what the import could not read, and whether channels and documents reach the 95% target."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from knowledge.model import Procedure
from knowledge.parsing import is_failure, issue_field

TARGET = 95.0
MEASURED = ("channels", "documents")
# Fields every procedure should have; conditions and related procedures are often legitimately empty.
EXPECTED = ("channels", "documents", "steps", "legal_basis", "agency", "result")


@dataclass(frozen=True)
class Coverage:
    """How many procedures have a table in the source, and for how many it was read completely."""

    field: str
    with_source: int
    parsed: int

    @property
    def percent(self) -> float:
        return 100.0 * self.parsed / self.with_source if self.with_source else 100.0


def coverage(procedures: Sequence[Procedure], field: str) -> Coverage:
    """Coverage of one table; the source "has" it when rows were read or a failure was recorded."""
    with_source = parsed = 0
    for procedure in procedures:
        failed = any(is_failure(i) and issue_field(i) == field for i in procedure.issues)
        if failed or getattr(procedure, field):
            with_source += 1
            parsed += not failed
    return Coverage(field, with_source, parsed)


def problem_lines(procedure: Procedure, show_all: bool = False) -> list[str]:
    """One line per issue of a procedure (failures first); empty when there is nothing to report."""
    issues = sorted(procedure.issues, key=lambda i: not is_failure(i))
    empty = empty_fields(procedure)
    if not issues and not empty and not show_all:
        return []
    lines = [f"{procedure.code} {procedure.name[:70]}"]
    lines += [f"  {'FAIL' if is_failure(i) else 'warn'} {i}" for i in issues]
    if empty:
        lines.append(f"  empty {', '.join(empty)}")
    return lines if len(lines) > 1 else [*lines, "  ok"]


def empty_fields(procedure: Procedure) -> list[str]:
    return [field for field in EXPECTED if not getattr(procedure, field)]


def summary_lines(procedures: Sequence[Procedure]) -> tuple[list[str], bool]:
    """Counts per field and the coverage figure; the flag is True when the target is met."""
    failures: Counter[str] = Counter()
    warnings: Counter[str] = Counter()
    empties: Counter[str] = Counter(f for p in procedures for f in empty_fields(p))
    for procedure in procedures:
        for field in {issue_field(i) for i in procedure.issues if is_failure(i)}:
            failures[field] += 1
        for field in {issue_field(i) for i in procedure.issues if not is_failure(i)}:
            warnings[field] += 1
    lines = [f"{len(procedures)} procedures; procedures per field with failures / warnings / empty value:"]
    for field in sorted(set(failures) | set(warnings) | set(empties)):
        lines.append(f"  {field:<12} {failures[field]:>5} / {warnings[field]:>5} / {empties[field]:>5}")
    channels, documents = (coverage(procedures, f) for f in MEASURED)
    lines.append(
        f"channel rows parsed for {channels.percent:.1f}% of procedures whose source has them "
        f"({channels.parsed}/{channels.with_source}); document lists parsed for {documents.percent:.1f}% "
        f"of procedures whose source has them ({documents.parsed}/{documents.with_source}); "
        f"target {TARGET:.0f}%"
    )
    return lines, all(c.percent >= TARGET for c in (channels, documents))


def report(procedures: Iterable[Procedure], show_all: bool = False) -> tuple[list[str], bool]:
    """The full validation report and whether the target is met."""
    ordered = sorted(procedures, key=lambda p: p.code)
    lines = [line for p in ordered for line in problem_lines(p, show_all)]
    summary, ok = summary_lines(ordered)
    return [*lines, *summary], ok
