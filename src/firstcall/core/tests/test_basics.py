from datetime import UTC, datetime, timedelta

import pytest

from firstcall.core import clock
from firstcall.core.masking import mask_key, mask_text


def test_mask_text_hides_mobile_fixed_and_id_numbers():
    text = "caller 13912345678 at 025-84561234 id 320102199001011234"
    masked = mask_text(text)
    assert "13912345678" not in masked and "139****5678" in masked
    assert "84561234" not in masked
    assert "320102199001011234" not in masked and masked.endswith("320102********1234")


def test_mask_key_keeps_only_head_and_tail():
    assert mask_key("13912345678") == "139****5678"
    assert mask_key("ab") == "**"


def test_log_records_are_masked(caplog):
    import logging

    from firstcall.core.logging import MaskCustomerDataFilter

    logger = logging.getLogger("firstcall.test")
    logger.addFilter(MaskCustomerDataFilter())
    with caplog.at_level(logging.INFO, logger="firstcall.test"):
        logger.info("lookup %s", "13912345678")
    assert "13912345678" not in caplog.text and "139****5678" in caplog.text


def test_clock_freezes_and_advances():
    at = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    with clock.frozen(at):
        assert clock.now() == at
        clock.advance(timedelta(minutes=5))
        assert clock.now() == at + timedelta(minutes=5)
    assert clock.now() != at


def test_clock_refuses_naive_datetimes():
    with pytest.raises(ValueError), clock.frozen(datetime(2026, 1, 1)):
        pass


def test_settings_refuse_the_builtin_secret_key_outside_debug(monkeypatch):
    import subprocess
    import sys

    env = {"PATH": "/usr/bin:/bin", "SECRET_KEY": "", "DEBUG": "false", "FIRSTCALL_TESTING": ""}
    result = subprocess.run(
        [sys.executable, "-c", "import firstcall.settings"], env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
