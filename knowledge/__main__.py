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
    val = commands.add_parser("validate", help="report what the import could not read")
    val.add_argument("procedures", type=Path, nargs="?", default=paths.PROCEDURES)
    val.add_argument("--all", action="store_true", help="list every procedure, not only those with problems")
    args = parser.parse_args(argv)

    if args.command == "import":
        from knowledge.importer import import_snapshot, write_procedures

        count = write_procedures(import_snapshot(args.snapshot, args.snapshot_date), args.out)
        print(f"imported {count} procedures from {args.snapshot} into {args.out}")
    elif args.command == "validate":
        from knowledge.base import read_procedures
        from knowledge.validation import report

        lines, ok = report(read_procedures(args.procedures), show_all=args.all)
        print("\n".join(lines))
        return 0 if ok else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
