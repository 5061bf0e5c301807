"""A logging filter that masks application codes, phone and ID numbers in every log line of the actions."""

from __future__ import annotations

import logging
import re

from bot.nlu.application_code_pattern import APPLICATION_CODE

# Vietnamese mobiles (0xxxxxxxxx, +84 xxxxxxxxx, spaced or dotted), 9-digit CMND and 12-digit CCCD numbers,
# and any other run of 7+ digits; the 4 verification digits are masked where they are labelled.
_PHONE = re.compile(r"(?<![\w])(?:\+?84|0)(?:[\s.\-]?\d){9}(?![\w])")
_LONG_NUMBER = re.compile(r"(?<![\w])\d{7,}(?![\w])")
_VERIFICATION = re.compile(r"(?i)(verification\W{0,3}|4 số cuối\D{0,12})\d{4}")

CODE_MASK = "[mã hồ sơ]"
NUMBER_MASK = "[số]"


def mask(text: str) -> str:
    """The text with codes, phone, ID and labelled verification numbers replaced by placeholders."""
    text = APPLICATION_CODE.sub(CODE_MASK, text)
    text = _PHONE.sub(NUMBER_MASK, text)
    text = _LONG_NUMBER.sub(NUMBER_MASK, text)
    return _VERIFICATION.sub(lambda m: m.group(1) + "****", text)


class PrivacyFilter(logging.Filter):
    """Rewrites each record's message (with its arguments) masked; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is logged as is; the handler reports it
            return True
        masked = mask(message)
        if masked != message or record.args:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask(record.exc_text)
        return True


_FILTER = PrivacyFilter()


def install(logger: logging.Logger | None = None) -> None:
    """Adds the filter to the logger and each of its handlers (handlers see records from child loggers)."""
    logger = logger or logging.getLogger()
    for target in (logger, *logger.handlers):
        if _FILTER not in target.filters:
            target.addFilter(_FILTER)
