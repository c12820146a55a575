"""``python -m medsite check [FILE ...]``: the source checks without a build (medsite.check).
Run with hooks/ on PYTHONPATH, or as ``python3 dev.py check``."""
from __future__ import annotations

import sys

USAGE = "usage: PYTHONPATH=hooks .venv/bin/python -m medsite check [FILE ...]"


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help"):
        print(USAGE)
        return 0 if argv else 2
    if argv[0] != "check":
        print(f"unknown command {argv[0]!r}; {USAGE}", file=sys.stderr)
        return 2
    from medsite import check

    return check.main(argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
