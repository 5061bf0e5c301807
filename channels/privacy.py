"""Keeps citizens' personal data out of the logs: phone numbers, ID numbers, application codes."""

from __future__ import annotations

import logging
import re

# Same shape as bot/nlu/application_code.py (which needs Rasa, so it is not imported here).
_SEP = r"[\s.\-_/]*"
APPLICATION_CODE = re.compile(
    rf"(?<![\w.])\d{{3}}{_SEP}\d{{2}}{_SEP}\d{{2}}{_SEP}[a-zA-Z]\d{{2}}{_SEP}\d{{6}}{_SEP}\d{{4}}(?!\w)"
)
# Vietnamese phone numbers: 0 or +84/84, then 9 (mobile) or 10 (landline) digits, spaced or dotted.
PHONE = re.compile(r"(?<![\w+])(?:\+?84|0)(?:[\s.\-]?\d){9,10}(?!\w)")
# CMND (9 digits) and CCCD / personal identification numbers (12 digits).
ID_NUMBER = re.compile(r"(?<!\w)(?:\d{12}|\d{9})(?!\w)")


def mask(text: str) -> str:
    """The text with every application code, phone number and ID number replaced by a label."""
    text = APPLICATION_CODE.sub("[mã hồ sơ]", text)
    text = PHONE.sub("[số điện thoại]", text)
    return ID_NUMBER.sub("[số giấy tờ]", text)


class PersonalDataFilter(logging.Filter):
    """Rewrites each record's message (arguments included) and exception text, masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = mask(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask(record.exc_text)
        return True


def configure_logging(level: str) -> None:
    """One stderr handler on the root logger, masked; uvicorn's loggers propagate to it."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(PersonalDataFilter())
    logging.basicConfig(level=level.upper(), handlers=[handler], force=True)
    # One line per Rasa request is noise at INFO; its failures reach the log through the worker.
    logging.getLogger("httpx").setLevel(logging.WARNING)
