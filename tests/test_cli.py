"""The command line (issue 17): units, the same numbers as the library for
the field report's server, errors that name the flag, and the installed
console script."""
import argparse
import io
import json
import os
import subprocess
import sys

import pytest

from queuemath import cli, erlang_b, tcp


def run(*argv):
    out = io.StringIO()
    assert cli.main(list(argv), out=out) == 0
    return out.getvalue()


@pytest.mark.parametrize("text, seconds", [("5ms", 0.005), ("2s", 2.0), ("1.5min", 90.0),
                                           ("1h", 3600.0), ("250us", 2.5e-4), ("0.3", 0.3),
                                           ("1e-3s", 1e-3)])
def test_times_take_units(text, seconds):
    assert cli.parse_time(text) == pytest.approx(seconds, rel=1e-15)


@pytest.mark.parametrize("text, per_second", [("300/h", 300 / 3600), ("5/min", 5 / 60),
                                              ("2000/s", 2000.0), ("45", 45.0)])
def test_rates_take_units(text, per_second):
    assert cli.parse_rate(text) == pytest.approx(per_second, rel=1e-15)


@pytest.mark.parametrize("parse, text", [(cli.parse_time, "5 parsecs"), (cli.parse_time, "-2s"),
                                         (cli.parse_rate, "45/x"), (cli.parse_rate, "fast")])
def test_bad_units_say_what_is_expected(parse, text):
    with pytest.raises(argparse.ArgumentTypeError, match="is not a"):
        parse(text)


def test_backlog_for_the_field_report_server_matches_the_library():
    got = json.loads(run("backlog", "--arrival-rate", "45", "--service-time", "20ms",
                         "--workers", "1", "--target", "1e-6", "--os", "windows-nt-4.0-server",
                         "--json"))
    a = tcp.min_backlog(45.0, 50.0, 1, target_blocking=1e-6, os="windows-nt-4.0-server")
    assert got["backlog"] == a.backlog == 109 and got["sufficient"] is True
    assert got["accept_queue_capacity"] == a.accept_queue_capacity
    assert got["refusal_probability"] == pytest.approx(a.refusal_probability, rel=1e-12)
    assert got["os_max_backlog"] == 200
    table = run("backlog", "--arrival-rate", "45", "--service-rate", "50", "--workers", "1",
                "--target", "1e-6", "--os", "windows-nt-4.0-server")
    assert "backlog                109" in table


def test_storm_modes_match_the_library():
    base = ["storm", "--clients", "300", "--duration", "2s", "--service-time", "20ms",
            "--os", "windows-nt-4.0-server", "--json"]
    seen = json.loads(run(*base, "--workers", "1", "--backlog", "5"))
    r = tcp.login_storm(300, 2.0, 50.0, 1, 5, os="windows-nt-4.0-server")
    assert seen["storm_refused"] == pytest.approx(r.storm_refused, rel=1e-12)
    assert seen["storm_refused_share"] == pytest.approx(0.65, abs=5e-3)
    need = json.loads(run(*base, "--workers", "1", "--target", "0.05"))
    a = tcp.min_backlog_for_storm(300, 2.0, 50.0, 1, target_refused=0.05,
                                  os="windows-nt-4.0-server")
    assert need["backlog"] == a.backlog and need["refused_share"] == a.refused_share
    staff = json.loads(run(*base, "--backlog", "5", "--target", "0.01"))
    assert staff["workers"] == tcp.min_workers_for_storm(
        300, 2.0, 50.0, 5, target_refused=0.01, os="windows-nt-4.0-server").workers


def test_erlang():
    got = json.loads(run("erlang", "--servers", "10", "--load", "7", "--json"))
    assert got["erlang_b"] == pytest.approx(float(erlang_b(10, 7.0)), rel=1e-15)
    rate = json.loads(run("erlang", "--servers", "10", "--arrival-rate", "420/min",
                          "--service-time", "1s", "--json"))
    assert rate["offered_load"] == pytest.approx(7.0, rel=1e-15)


@pytest.mark.parametrize("argv, flag", [
    (["backlog", "--arrival-rate", "4", "--service-rate", "50", "--workers", "0", "--target", "0.1"],
     "--workers"),
    (["backlog", "--arrival-rate", "4", "--service-rate", "50", "--workers", "2", "--target", "2"],
     "--target"),
    (["backlog", "--arrival-rate", "4", "--workers", "2", "--target", "0.1"], "--service-time"),
    (["backlog", "--arrival-rate", "4", "--service-rate", "5", "--workers", "2", "--target",
      "0.1", "--os", "plan9"], "--os"),
    (["storm", "--clients", "10", "--duration", "1s", "--service-rate", "5", "--target", "0.1"],
     "--workers"),
    (["storm", "--clients", "-1", "--duration", "1s", "--service-rate", "5", "--workers", "1",
      "--backlog", "5"], "--clients"),
])
def test_errors_name_the_flag(argv, flag, capsys):
    with pytest.raises(SystemExit) as info:
        cli.main(argv)
    assert info.value.code == 2
    assert flag in capsys.readouterr().err.splitlines()[-1]


def test_console_script_is_installed():
    script = os.path.join(os.path.dirname(sys.executable), "queuemath")
    assert os.path.exists(script), "pip install puts the queuemath command beside python"
    out = subprocess.run([script, "erlang", "--servers", "10", "--load", "7", "--json"],
                         capture_output=True, text=True, check=True)
    assert json.loads(out.stdout)["servers"] == 10
    mod = subprocess.run([sys.executable, "-m", "queuemath", "backlog", "--arrival-rate", "oops",
                          "--service-rate", "5", "--workers", "1", "--target", "0.1"],
                         capture_output=True, text=True)
    assert mod.returncode == 2 and "--arrival-rate" in mod.stderr
