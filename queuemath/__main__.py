"""Command line: ``python -m queuemath report`` regenerates the report's artefacts."""
import sys


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] != ["report"]:
        print("usage: python -m queuemath report", file=sys.stderr)
        return 2
    from .report import main as report_main
    return report_main()


if __name__ == "__main__":
    sys.exit(main())
