from __future__ import annotations

import logging

import pytest

from channels.privacy import PersonalDataFilter, mask


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("gọi tôi số 0912345678 nhé", "gọi tôi số [số điện thoại] nhé"),
        ("sđt 0912 345 678", "sđt [số điện thoại]"),
        ("+84912345678 hoặc 84.912.345.678", "[số điện thoại] hoặc [số điện thoại]"),
        ("máy bàn 02438123456", "máy bàn [số điện thoại]"),
        ("CCCD 001099012345, CMND 012345678", "CCCD [số giấy tờ], CMND [số giấy tờ]"),
        ("hồ sơ 000.00.17.H12-251120-0042 tới đâu", "hồ sơ [mã hồ sơ] tới đâu"),
        ("ho so 000 00 17 h12 251120 0042", "ho so [mã hồ sơ]"),
        ("mã thủ tục 1.001456, 200.000 đồng, năm 2025", "mã thủ tục 1.001456, 200.000 đồng, năm 2025"),
        ("entry 1795704399324-0 of 10 digits 1234567890", "entry 1795704399324-0 of 10 digits 1234567890"),
    ],
)
def test_personal_data_is_masked(text: str, masked: str) -> None:
    assert mask(text) == masked


def test_the_filter_masks_arguments_and_tracebacks(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("tests.privacy")
    logger.addFilter(PersonalDataFilter())
    try:
        with caplog.at_level(logging.INFO, logger="tests.privacy"):
            logger.info("citizen %s wrote %r", "0912345678", "CCCD 001099012345")
            try:
                raise ValueError("bad code 000.00.17.H12-251120-0042")
            except ValueError:
                logger.exception("failed for %s", "0987654321")
    finally:
        logger.filters.clear()
    logged = caplog.text
    assert "0912345678" not in logged and "001099012345" not in logged and "0987654321" not in logged
    assert "H12-251120" not in logged
    assert "citizen [số điện thoại] wrote 'CCCD [số giấy tờ]'" in logged
    assert "bad code [mã hồ sơ]" in logged
