"""Command line: python -m knowledge import|validate|search|province."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from knowledge import paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m knowledge", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    imp = commands.add_parser("import", help="import a snapshot into knowledge/data/procedures.jsonl")
    imp.add_argument("snapshot", type=Path, nargs="?", default=paths.SNAPSHOT)
    imp.add_argument("--snapshot-date", default="2026-07")
    imp.add_argument("--out", type=Path, default=paths.PROCEDURES)
    args = parser.parse_args(argv)

    if args.command == "import":
        from knowledge.importer import import_snapshot, write_procedures

        count = write_procedures(import_snapshot(args.snapshot, args.snapshot_date), args.out)
        print(f"imported {count} procedures from {args.snapshot} into {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
