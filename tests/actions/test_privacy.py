"""The logging filter masks application codes, phone and ID numbers, whatever logs them."""

from __future__ import annotations

import io
import logging

import pytest

from actions import privacy

CODE = "000.00.17.H12-251120-0042"


@pytest.mark.parametrize(
    ("text", "hidden"),
    [
        (f"lookup {CODE} failed", CODE),
        ("lookup 000 00 17 h12 251120 0042 failed", "251120"),
        ("phone 0912345678", "0912345678"),
        ("phone 0912 345 678", "345 678"),
        ("phone +84 912 345 678", "912 345"),
        ("cccd 079201001234", "079201001234"),
        ("cmnd 212345678", "212345678"),
        ("verification=5678", "5678"),
        ("4 số cuối là 5678", "5678"),
    ],
)
def test_mask(text: str, hidden: str) -> None:
    masked = privacy.mask(text)
    assert hidden not in masked
    assert masked != text


def test_ordinary_text_and_short_numbers_are_kept() -> None:
    text = "status system attempt 2 answered 503 after 3.0 s; procedure 1.001193"
    assert privacy.mask(text) == text


def _logged(logger: logging.Logger, *args: object, exc: bool = False) -> str:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    privacy.install(logger)
    try:
        if exc:
            try:
                raise ValueError(f"no application {CODE} for 0912345678")
            except ValueError:
                logger.exception(*args)  # type: ignore[arg-type]
        else:
            logger.info(*args)  # type: ignore[arg-type]
    finally:
        logger.removeHandler(handler)
    return stream.getvalue()


def test_arguments_are_masked_in_the_logged_line() -> None:
    line = _logged(logging.getLogger("privacy-test-1"), "lookup %s for %s", CODE, "0912345678")
    assert CODE not in line and "0912345678" not in line
    assert privacy.CODE_MASK in line and privacy.NUMBER_MASK in line


def test_tracebacks_are_masked() -> None:
    line = _logged(logging.getLogger("privacy-test-2"), "failed", exc=True)
    assert "ValueError" in line
    assert CODE not in line and "0912345678" not in line


def test_child_loggers_go_through_the_root_handlers() -> None:
    root = logging.getLogger("privacy-parent")
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    privacy.install(root)
    try:
        logging.getLogger("privacy-parent.child").info("code %s", CODE)
    finally:
        root.removeHandler(handler)
    assert CODE not in stream.getvalue()


def test_the_action_server_logging_is_filtered_once_the_actions_load() -> None:
    import actions.status  # noqa: F401 - installs the filter

    root = logging.getLogger()
    assert any(isinstance(f, privacy.PrivacyFilter) for f in root.filters)
