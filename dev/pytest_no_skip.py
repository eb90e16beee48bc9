"""pytest plugin for `make test`: a skipped test is a failure.

Odoo skips a browser tour instead of failing it when Chromium or websocket-client
is missing; here that must turn the run red.
"""

import pytest


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.skipped and not hasattr(report, "wasxfail"):
        reason = (
            report.longrepr[2]
            if isinstance(report.longrepr, tuple)
            else report.longrepr
        )
        report.outcome = "failed"
        report.longrepr = f"Skipped tests count as failures in `make test`: {reason}"
