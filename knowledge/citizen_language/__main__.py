"""python -m knowledge.citizen_language nlu|sample: write DIET's generated data, or print some messages."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from knowledge import citizen_language
from knowledge.base import load
from knowledge.citizen_language import nlu

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUT = ROOT / "nlu_data" / "nlu" / "generated.yml"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m knowledge.citizen_language", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    write = commands.add_parser("nlu", help="write the generated NLU training data")
    write.add_argument("--out", type=Path, default=DEFAULT_OUT)
    write.add_argument("--per-intent", type=int, default=60)
    write.add_argument("--seed", type=int, default=20261203)
    show = commands.add_parser("sample", help="print generated messages with their labels")
    show.add_argument("--count", type=int, default=20)
    show.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.command == "nlu":
        count = nlu.write(args.out, list(load()), args.per_intent, args.seed)
        print(f"{args.out}: {count} generated examples")
    else:
        import random

        messages = citizen_language.generate(list(load()), 1, args.seed)
        for item in random.Random(args.seed).sample(messages, args.count):
            print(f"[{item.style}] {item.intent} {','.join(item.codes[:3])}: {item.text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
