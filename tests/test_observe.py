"""Observing a live listener (issue 17) on loopback: a real server with a
small backlog under a Poisson stream of clients (tests/live_listener.py, in
a network namespace of its own where the kernel allows it), and the
netlink and counter readers on their own."""
import json
import os
import socket
import subprocess
import sys
import time

import pytest

from live_listener import attempt
from queuemath import tcp

HERE = os.path.dirname(os.path.abspath(__file__))
pytestmark = [pytest.mark.kernel,
              pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux only")]


def test_observe_sees_the_overflows_of_a_small_backlog():
    """200 attempts/s (Poisson) against one worker of 100/s behind backlog 2:
    about half the attempts overflow.  The attempts the kernel counted match
    the clients' own count in the window (a few at its edges), and the
    refused share the one M/M/1/4 predicts for the rate seen, within the
    looseness of a Python server (sleep-timed service, thread switches)."""
    out = subprocess.run([sys.executable, os.path.join(HERE, "live_listener.py"), "200", "100",
                          "2", "3", "16"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    seen = json.loads(out.stdout)
    assert seen["accept_queue_capacity"] == tcp.accept_queue_capacity(2, os="linux") == 3
    assert seen["overflows"] > 0 and seen["overflow_rate"] > 20
    offered = seen["offered"]
    assert offered > 300
    # counting at the window's two edges can differ by the attempts in flight
    assert abs(seen["attempts"] - offered) <= max(5, 0.03 * offered)
    assert seen["arrival_rate"] == pytest.approx(offered / seen["window"], rel=0.05)
    assert seen["handshake_rate"] + seen["overflow_rate"] == pytest.approx(seen["arrival_rate"])
    assert abs(seen["measured_refusal"] - seen["predicted_refusal"]) < 0.15
    dist = seen["queue_length_distribution"]
    assert len(dist) == 4 and abs(sum(dist) - 1) < 1e-12 and dist[-1] > 0.2
    print("private network namespace:", seen["isolated"])


def test_listeners_report_length_and_limit():
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(3)
        port = server.getsockname()[1]
        (family, p, length, limit), = tcp.listeners(port)
        assert (p, length, limit) == (port, 0, 3)
        clients = []
        try:
            for _ in range(6):
                clients.append(attempt(port))
            time.sleep(0.2)
            # the queue holds limit + 1 (the kernel's full test is a strict >)
            assert tcp.listeners(port)[0][2] == 4
        finally:
            for c in clients:
                c.close()
    counts = tcp.counters()
    assert set(counts) == {"ListenOverflows", "ListenDrops", "PassiveOpens"}
    assert all(v >= 0 for v in counts.values())


def test_bad_ports_are_named():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        free = s.getsockname()[1]                   # bound, not listening
        with pytest.raises(ValueError, match="no TCP listener on port"):
            tcp.observe(free, 0.1)
    for port in (0, 70000):
        with pytest.raises(ValueError, match="port"):
            tcp.observe(port, 0.1)
    with pytest.raises(ValueError, match="duration"):
        tcp.observe(80, 0.0)


def test_the_command_line_observes_too():
    from queuemath import cli
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(7)
        port = server.getsockname()[1]
        import io
        out = io.StringIO()
        assert cli.main(["observe", "--port", str(port), "--duration", "200ms", "--workers", "2",
                         "--service-time", "10ms", "--json"], out=out) == 0
        seen = json.loads(out.getvalue())
        assert seen["accept_queue_capacity"] == 8 and seen["port"] == port
        assert seen["queue_length_distribution"][0] == 1.0     # nobody connected
    with pytest.raises(SystemExit):
        cli.main(["observe", "--port", str(port), "--workers", "2"])
