"""The ``queuemath`` command: the accept-queue questions from a shell.

::

    queuemath backlog --arrival-rate 2000 --service-time 5ms --workers 16 --target 1e-5 --os linux
    queuemath storm --clients 30000 --duration 3s --service-time 5ms --workers 16 --target 1e-5
    queuemath observe --port 8080 --duration 10s --workers 16 --service-time 5ms
    queuemath erlang --servers 10 --load 7

Times take units (``5ms``, ``2s``, ``1.5min``, ``1h``; a bare number is
seconds), rates too (``300/h``, ``5/min``, ``2000/s``; a bare number is per
second).  ``--json`` prints one JSON object whose field names are those of
the Python result (``backlog``, ``accept_queue_capacity``,
``refusal_probability``, ...).  A wrong flag exits with status 2 and a line
saying which flag and why.
"""
import argparse
import json
import re
import sys

__all__ = ["main", "parse_time", "parse_rate"]

_TIME_UNITS = {"us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "sec": 1.0, "min": 60.0,
               "h": 3600.0}
_NUMBER = r"([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)"


def parse_time(text):
    """Seconds from ``5ms``, ``2s``, ``1.5min``, ``1h`` or a bare number."""
    m = re.fullmatch(_NUMBER + r"\s*([a-zµ]*)", str(text).strip())
    if not m or m.group(2) not in ("",) + tuple(_TIME_UNITS):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a time: write a number with a unit of {', '.join(_TIME_UNITS)} "
            f"(e.g. 5ms), or seconds")
    return float(m.group(1)) * _TIME_UNITS.get(m.group(2) or "s")


def parse_rate(text):
    """Per second from ``300/h``, ``5/min``, ``2000/s`` or a bare number."""
    m = re.fullmatch(_NUMBER + r"\s*(?:/\s*([a-z]+))?", str(text).strip())
    if not m or (m.group(2) is not None and m.group(2) not in _TIME_UNITS):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a rate: write a number per {', '.join(_TIME_UNITS)} "
            f"(e.g. 300/h), or per second")
    return float(m.group(1)) / _TIME_UNITS[m.group(2) or "s"]


def _count(text):
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not (value == value and value.is_integer()):
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number")
    return int(value)


def _probability(text):
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a probability in (0, 1)")
    return value


def _service_rate(args, parser):
    if (args.service_time is None) == (args.service_rate is None):
        parser.error("give exactly one of --service-time (e.g. 5ms) and --service-rate "
                     "(e.g. 200/s): how long one worker takes with one connection")
    return args.service_rate if args.service_rate is not None else 1.0 / args.service_time


def _show(fields, as_json, out):
    if as_json:
        out.write(json.dumps(fields) + "\n")
        return
    width = max(len(k) for k in fields)
    for key, value in fields.items():
        text = f"{value:.6g}" if isinstance(value, float) else str(value)
        out.write(f"{key:<{width}}  {text}\n")


def _backlog(args, parser, out):
    from . import tcp
    mu = _service_rate(args, parser)
    a = tcp.min_backlog(args.arrival_rate, mu, args.workers, target_blocking=args.target,
                        os=args.os, somaxconn=args.somaxconn)
    _show({"os": args.os, "arrival_rate": args.arrival_rate, "service_rate": mu,
           "workers": args.workers, "target": args.target, "backlog": int(a.backlog),
           "accept_queue_capacity": int(a.accept_queue_capacity),
           "refusal_probability": float(a.refusal_probability),
           "sufficient": bool(a.sufficient), "os_max_backlog": int(a.os_max_backlog)},
          args.json, out)


def _storm(args, parser, out):
    from . import tcp
    mu = _service_rate(args, parser)
    common = dict(os=args.os, somaxconn=args.somaxconn, background_rate=args.background_rate)
    head = {"os": args.os, "clients": args.clients, "duration": args.duration,
            "service_rate": mu}
    if args.target is None:
        if args.backlog is None or args.workers is None:
            parser.error("without --target, give --backlog and --workers: the storm they meet")
        r = tcp.login_storm(args.clients, args.duration, mu, args.workers, args.backlog,
                            **common)
        _show({**head, "workers": args.workers, "backlog": args.backlog,
               "accept_queue_capacity": r.capacity - args.workers,
               "storm_attempts": r.storm_attempts, "storm_refused": r.storm_refused,
               "storm_refused_share": r.storm_refused_share,
               "refusals_end": r.refusals_end}, args.json, out)
        return
    if (args.backlog is None) == (args.workers is None):
        parser.error("with --target, give one of --workers (to find the backlog) and "
                     "--backlog (to find the workers)")
    if args.backlog is None:
        a = tcp.min_backlog_for_storm(args.clients, args.duration, mu, args.workers,
                                      target_refused=args.target, **common)
    else:
        a = tcp.min_workers_for_storm(args.clients, args.duration, mu, args.backlog,
                                      target_refused=args.target, **common)
    _show({**head, "target": args.target, **a.to_dict()}, args.json, out)


def _observe(args, parser, out):
    from . import tcp
    mu = None
    if args.service_time is not None or args.service_rate is not None:
        mu = _service_rate(args, parser)
    if (mu is None) != (args.workers is None):
        parser.error("--workers and --service-time (or --service-rate) go together: the "
                     "model's prediction needs both")
    obs = tcp.observe(args.port, args.duration, workers=args.workers, service_rate=mu)
    fields = obs.to_dict()
    if not args.json:
        fields["queue_length_distribution"] = " ".join(
            f"{x:.3f}" for x in fields["queue_length_distribution"])
    _show(fields, args.json, out)


def _erlang(args, parser, out):
    from . import erlang_b, erlang_c
    load = args.load
    if load is None:
        if args.arrival_rate is None:
            parser.error("give --load (erlangs) or --arrival-rate with --service-time")
        load = args.arrival_rate / _service_rate(args, parser)
    _show({"servers": args.servers, "offered_load": load,
           "erlang_b": float(erlang_b(args.servers, load)),
           "erlang_c": float(erlang_c(args.servers, load))}, args.json, out)


def _parser():
    p = argparse.ArgumentParser(prog="queuemath", description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="command", required=True)

    def service(q):
        q.add_argument("--service-time", type=parse_time, help="one connection's handling time")
        q.add_argument("--service-rate", type=parse_rate, help="or connections per second")

    def system(q):
        q.add_argument("--os", default="linux", help="the server's OS (default linux)")
        q.add_argument("--somaxconn", type=_count, help="net.core.somaxconn, if not the default")
        q.add_argument("--json", action="store_true", help="one JSON object")

    b = sub.add_parser("backlog", help="the smallest backlog for a refusal target")
    b.add_argument("--arrival-rate", type=parse_rate, required=True, help="attempts per second")
    service(b)
    b.add_argument("--workers", type=_count, required=True)
    b.add_argument("--target", type=_probability, required=True,
                   help="largest acceptable share of attempts refused")
    system(b)
    b.set_defaults(run=_backlog)

    s = sub.add_parser("storm", help="a burst of logins: refusals, or what absorbs it")
    s.add_argument("--clients", type=float, required=True, help="first attempts in the burst")
    s.add_argument("--duration", type=parse_time, required=True, help="the burst's length")
    service(s)
    s.add_argument("--workers", type=_count)
    s.add_argument("--backlog", type=_count)
    s.add_argument("--target", type=_probability,
                   help="largest acceptable share of the burst's first attempts refused")
    s.add_argument("--background-rate", type=parse_rate, default=0.0)
    system(s)
    s.set_defaults(run=_storm)

    o = sub.add_parser("observe", help="watch a live listener's accept queue (Linux)")
    o.add_argument("--port", type=_count, required=True)
    o.add_argument("--duration", type=parse_time, default=10.0, help="the window (default 10s)")
    o.add_argument("--workers", type=_count, help="with a service time: the model's prediction")
    service(o)
    o.add_argument("--json", action="store_true", help="one JSON object")
    o.set_defaults(run=_observe)

    e = sub.add_parser("erlang", help="Erlang B and C")
    e.add_argument("--servers", type=_count, required=True)
    e.add_argument("--load", type=float, help="offered load in erlangs")
    e.add_argument("--arrival-rate", type=parse_rate)
    service(e)
    e.add_argument("--json", action="store_true")
    e.set_defaults(run=_erlang)
    return p, {"backlog": b, "storm": s, "observe": o, "erlang": e}


#: The library's parameter names, as the flags that set them.
_FLAGS = {"arrival_rate": "--arrival-rate", "service_rate": "--service-time/--service-rate",
          "servers": "--workers", "workers": "--workers", "target_blocking": "--target",
          "target_refused": "--target", "clients": "--clients", "duration": "--duration",
          "backlog": "--backlog", "somaxconn": "--somaxconn", "offered_load": "--load",
          "background_rate": "--background-rate", "os": "--os", "port": "--port"}


def _flag_of(message):
    """The flag a library error is about: the first parameter it names."""
    found = [(message.find(name), flag) for name, flag in _FLAGS.items()
             if re.search(rf"\b{name}\b", message)]
    return min(found)[1] if found else None


def main(argv=None, out=None):
    """Run the command line; returns the exit status (errors exit with 2
    through argparse, naming the flag)."""
    out = out or sys.stdout
    parser, subs = _parser()
    args = parser.parse_args(argv)
    sub = subs[args.command]
    try:
        args.run(args, sub, out)
    except ValueError as err:
        flag = _flag_of(str(err))
        sub.error(f"{flag}: {err}" if flag else str(err))
    return 0


if __name__ == "__main__":        # pragma: no cover
    sys.exit(main())
