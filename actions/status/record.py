"""An application as the status answers need it: no name, address, phone or ID number, ever."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

RECEIVED = "received"
IN_PROGRESS = "in_progress"
SUPPLEMENT_REQUIRED = "supplement_required"
RESULT_READY = "result_ready"
OVERDUE = "overdue"
STATUSES = (RECEIVED, IN_PROGRESS, SUPPLEMENT_REQUIRED, RESULT_READY, OVERDUE)

# Vietnam keeps one offset all year; "overdue" is judged on the citizen's calendar day.
VIETNAM = timezone(timedelta(hours=7))


def today_in_vietnam() -> date:
    return datetime.now(VIETNAM).date()


@dataclass(frozen=True)
class ApplicationRecord:
    """One application's status, in the one-stop system's terms."""

    code: str
    status: str
    procedure_code: str = ""
    procedure_name: str = ""
    received_on: date | None = None
    due_on: date | None = None
    agency: str = ""
    supplement_items: tuple[str, ...] = field(default_factory=tuple)
    pickup_place: str = ""
    pickup_method: str = ""
    contact: str = ""  # the agency's desk or hotline, never the applicant's

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"unknown status {self.status!r}; expected one of {', '.join(STATUSES)}")

    def effective_status(self, today: date) -> str:
        """The status to tell: past its due date without a result, an application is overdue."""
        late = self.due_on is not None and self.due_on < today
        if late and self.status in (RECEIVED, IN_PROGRESS):
            return OVERDUE
        return self.status


def parse_date(value: object) -> date | None:
    """ISO (2025-11-20) or Vietnamese (20/11/2025) dates; empty means unknown."""
    if value is None or isinstance(value, date):
        return value
    text = str(value).strip()
    if not text:
        return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return datetime.strptime(text[:10], pattern).date()
        except ValueError:
            continue
    raise ValueError(f"not a date: {text!r} (expected YYYY-MM-DD or DD/MM/YYYY)")
