"""Command line: python -m knowledge import|validate|search|train-ranker|province."""

from __future__ import annotations

import argparse
import os
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
    imp.add_argument(
        "--procedure",
        type=Path,
        help="procedures exported from the portal (JSON object, list or lines), merged into the snapshot",
    )
    val = commands.add_parser("validate", help="report what the import could not read")
    val.add_argument("procedures", type=Path, nargs="?", default=paths.PROCEDURES)
    val.add_argument("--all", action="store_true", help="list every procedure, not only those with problems")
    find = commands.add_parser("search", help="rank procedures for a citizen's message")
    find.add_argument("text", nargs="+")
    find.add_argument("--limit", type=int, default=5)
    find.add_argument("--why", action="store_true", help="print what each stage made of the message")
    ranker = commands.add_parser("train-ranker", help="fit the search ranker (knowledge/search/training.yml)")
    ranker.add_argument("--out", type=Path, default=paths.RANKER)
    ranker.add_argument(
        "--if-stale", action="store_true", help="only when the knowledge base or vocabulary changed"
    )
    prov = commands.add_parser("province", help="resolve a province name or find one in a message")
    prov.add_argument("text", nargs="+")
    args = parser.parse_args(argv)

    if args.command == "import" and args.procedure is not None:
        from knowledge.importer import import_changed, read_export

        changed = import_changed(read_export(args.procedure), args.snapshot_date, args.snapshot, args.out)
        print(f"imported {', '.join(p.code for p in changed)} from {args.procedure} into {args.out}")
    elif args.command == "import":
        from knowledge.importer import import_snapshot, write_procedures

        count = write_procedures(import_snapshot(args.snapshot, args.snapshot_date), args.out)
        print(f"imported {count} procedures from {args.snapshot} into {args.out}")
    elif args.command == "validate":
        from knowledge.base import read_procedures
        from knowledge.validation import report

        lines, ok = report(read_procedures(args.procedures), show_all=args.all)
        print("\n".join(lines))
        return 0 if ok else 1
    elif args.command == "search" and args.why:
        from knowledge.search.explain import explain

        print(explain(" ".join(args.text), limit=args.limit))
    elif args.command == "train-ranker":
        # One BLAS thread: the same sums in the same order, so the same file on every run.
        for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ.setdefault(name, "1")
        from knowledge.search.training import stale, train

        if args.if_stale and not stale(args.out):
            print(f"{args.out} is up to date")
            return 0
        _, figures = train(args.out)
        print(f"wrote {args.out}: " + ", ".join(f"{k} {v}" for k, v in figures.items()))
    elif args.command == "search":
        from knowledge.base import load
        from knowledge.search import search

        ranking = search(" ".join(args.text), limit=args.limit)
        for hit in ranking:
            print(f"{hit.code}\t{hit.score:.3f}\t{load()[hit.code].name}")
        if ranking.confident:
            print("(confident: the first is linked)")
        elif ranking.too_close:
            print("(the first candidates are too close to call: ask which one)")
        else:
            print(f"(not confident: no procedure is linked; P(none) {ranking.none:.3f})")
        return 0 if ranking else 1
    elif args.command == "province":
        from knowledge.province import find_province, resolve_province

        text = " ".join(args.text)
        province = resolve_province(text)
        mention = None if province else find_province(text)
        if mention is not None:
            province = mention.province
            print(f"found {mention.text!r} at {mention.start}:{mention.end}")
        if province is None:
            print("no province found")
            return 1
        merged = f" (formerly {province.matched})" if province.was_merged else ""
        print(f"{province.name}{merged}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
