"""The systemd units in deploy/ parse, run a real `hasila` command, retry on busy and keep the cron
line's schedule; `systemd-analyze verify` accepts them where it is installed."""
from __future__ import annotations

import configparser
import re
import shlex
import shutil
import subprocess

import pytest

from ingest.cli import EXIT_BUSY, cli
from tests.conftest import REPO_ROOT

DEPLOY = REPO_ROOT / "deploy"
SERVICE, TIMER = DEPLOY / "hasila-refresh.service", DEPLOY / "hasila-refresh.timer"
# Where the units expect the checkout; rewritten to this one for systemd-analyze, which checks
# that ExecStart's program exists.
INSTALL_DIR = "/srv/hasila"


def unit(path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # systemd keys are case-sensitive
    parser.read_string(path.read_text(encoding="utf-8"))
    return parser


def test_the_service_runs_a_real_hasila_command():
    service = unit(SERVICE)["Service"]
    argv = shlex.split(service["ExecStart"])
    assert argv[0] == f"{service['WorkingDirectory']}/run" and argv[1] == "hasila"
    command = cli.commands[argv[2]]
    assert command.name == "refresh"
    options = {opt for param in command.params for opt in param.opts}
    assert all(arg in options for arg in argv[3:] if arg.startswith("-"))
    assert service["RestartForceExitStatus"] == str(EXIT_BUSY)  # busy is retried, not a failure
    assert service["Type"] in {"exec", "simple", "oneshot"} and service["User"]


def test_the_timer_starts_the_service_on_the_cron_lines_schedule():
    timer = unit(TIMER)
    assert timer["Timer"]["Unit"] == SERVICE.name and timer["Install"]["WantedBy"] == "timers.target"
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    minute, hour = re.search(r"^(\d+) (\d+) \* \* \* .*hasila refresh", readme, re.M).groups()
    assert timer["Timer"]["OnCalendar"] == f"*-*-* {int(hour):02d}:{int(minute):02d}:00"
    assert "deploy/hasila-refresh.timer" in readme


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_systemd_analyze_verifies_the_units(tmp_path):
    for path in (SERVICE, TIMER):
        text = path.read_text(encoding="utf-8").replace(INSTALL_DIR, str(REPO_ROOT))
        (tmp_path / path.name).write_text(text, encoding="utf-8")
    verify = subprocess.run(["systemd-analyze", "verify", str(tmp_path / SERVICE.name), str(tmp_path / TIMER.name)],
                            capture_output=True, text=True, timeout=60)
    assert verify.returncode == 0, verify.stderr
    calendar = subprocess.run(["systemd-analyze", "calendar", unit(TIMER)["Timer"]["OnCalendar"]],
                              capture_output=True, text=True, timeout=60)
    assert calendar.returncode == 0 and "Next elapse" in calendar.stdout
