"""Benchmark of knowledge search: accuracy on the held-out phrasings, latency, load time and memory.

Run `python bench/knowledge_bench.py [phrasings.yml]`. Prints figures; exits 1 if a target is missed.

Load time is measured in fresh processes, twice over: cold (an empty cache directory: the knowledge
base is parsed and the index built, then both are cached) and warm (the cache written by the cold
run is present, as on every normal start of a service after the first). The 2 s target is checked
against the warm start; the cold one is printed for information.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

# v1 was written first and was in view while the overlay grew (development data now); v2 and v4 are
# never used for tuning, so they are the fair measures of how search generalises. v4 was written blind
# to the search and its vocabulary. All three are judged against the targets.
HELDOUT_V4 = ROOT / "tests" / "knowledge" / "data" / "search_heldout_v4.yml"
DEFAULT_SETS = [
    ROOT / "tests" / "knowledge" / "data" / "search_heldout.yml",
    ROOT / "tests" / "knowledge" / "data" / "search_heldout_v2.yml",
    HELDOUT_V4,
]
TARGETS = {"top1": 0.90, "top1_plain": 0.85, "p95_ms": 10.0, "load_s": 2.0}
MIN_TIMINGS = 1000

# Runs in a fresh interpreter (nothing cached in memory): load, then build, then report as JSON.
START = """
import json, time
def rss_kb():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0
before = rss_kb()
t0 = time.perf_counter()
import knowledge.base
kb = knowledge.base.load()
t1 = time.perf_counter()
loaded = rss_kb()
from knowledge.search import default_index
index = default_index()
t2 = time.perf_counter()
index.search("lam ho chieu het bao nhieu tien")
t3 = time.perf_counter()
print(json.dumps({"procedures": len(kb), "load_s": t1 - t0, "build_s": t2 - t1, "first_query_s": t3 - t2,
                  "kb_rss_mb": (loaded - before) / 1024, "index_rss_mb": (rss_kb() - loaded) / 1024}))
"""


def load_items(path: Path) -> list[dict[str, Any]]:
    items = yaml.safe_load(path.read_text(encoding="utf-8"))
    for item in items:
        if item["style"] == "nfd":
            item["text"] = unicodedata.normalize("NFD", item["text"])
    return items


CACHE_ENV = "KNOWLEDGE_CACHE_DIR"


def start(cache_dir: Path) -> dict[str, float]:
    env = {**os.environ, CACHE_ENV: str(cache_dir)}
    out = subprocess.run(
        [sys.executable, "-c", START], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def best(runs: list[dict[str, float]]) -> dict[str, float]:
    return min(runs, key=lambda run: run["load_s"] + run["build_s"])


def report(label: str, run: dict[str, float]) -> None:
    load, build, first = (run[k] * 1000 for k in ("load_s", "build_s", "first_query_s"))
    print(f"  {label}: load {load:.0f} ms + index {build:.0f} ms = {load + build:.0f} ms")
    kb_mb, index_mb = run["kb_rss_mb"], run["index_rss_mb"]
    print(f"    first query {first:.0f} ms; memory (VmRSS delta) knowledge base {kb_mb:.1f} MB,", end=" ")
    print(f"index {index_mb:.1f} MB")


def evaluate(path: Path) -> tuple[float, float]:
    """Top-1/top-3 on one phrasing set, overall, by style and with diacritics stripped."""
    from knowledge.search import search
    from knowledge.text import strip_diacritics

    items = load_items(path)
    print(f"\nphrasings: {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path} ({len(items)})")
    by_style: dict[str, list[tuple[bool, bool]]] = defaultdict(list)
    plain: list[tuple[bool, bool]] = []
    for item in items:
        codes = search(item["text"], limit=3).codes
        by_style[item["style"]].append(
            (bool(codes) and codes[0] in item["codes"], any(c in item["codes"] for c in codes))
        )
        plain_codes = search(strip_diacritics(item["text"]), limit=3).codes
        plain.append(
            (
                bool(plain_codes) and plain_codes[0] in item["codes"],
                any(c in item["codes"] for c in plain_codes),
            )
        )
    everything = [r for results in by_style.values() for r in results]

    def line(label: str, results: list[tuple[bool, bool]]) -> tuple[float, float]:
        top1 = sum(r[0] for r in results) / len(results)
        top3 = sum(r[1] for r in results) / len(results)
        print(f"  {label:<34} n={len(results):<4} top-1 {top1:.3f}  top-3 {top3:.3f}")
        return top1, top3

    top1, _ = line("overall", everything)
    for style in sorted(by_style):
        line(f"style {style}", by_style[style])
    top1_plain, _ = line("all items, diacritics stripped", plain)

    return top1, top1_plain


def main(argv: list[str]) -> int:
    paths = [Path(arg) for arg in argv] or DEFAULT_SETS
    scratch = Path(tempfile.mkdtemp(prefix="knowledge_bench_"))
    # Cold: each run in an empty cache directory (parse, build, write the cache); warm: the cache is there.
    cold = best([start(scratch / f"cold{i}") for i in range(3)])
    warm = best([start(scratch / "cold0") for _ in range(3)])
    os.environ[CACHE_ENV] = str(scratch / "cold0")  # the searches below start warm too
    print(f"knowledge base: {cold['procedures']:.0f} procedures (best of 3 fresh processes each)")
    report("cold (no cache)     ", cold)
    report("warm (cache present)", warm)
    print(f"  the {TARGETS['load_s']:.0f} s load target applies to the warm start (a service's normal start)")

    from knowledge.search import search

    results = {p: evaluate(p) for p in paths}
    queries = [item["text"] for path in paths for item in load_items(path)]
    timings: list[float] = []
    while len(timings) < MIN_TIMINGS:
        for query in queries:
            started = time.perf_counter()
            search(query)
            timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    p50 = statistics.median(timings)
    p95 = timings[int(len(timings) * 0.95)]
    worst = timings[-1]
    print(f"\nsearch latency over {len(timings)} queries:")
    print(f"  p50 {p50:.2f} ms, p95 {p95:.2f} ms, max {worst:.2f} ms")

    missed = []
    for path, (top1, top1_plain) in results.items():
        if top1 < TARGETS["top1"]:
            missed.append(f"{path.name}: top-1 {top1:.3f} < {TARGETS['top1']}")
        if top1_plain < TARGETS["top1_plain"]:
            missed.append(f"{path.name}: top-1 without diacritics {top1_plain:.3f} < {TARGETS['top1_plain']}")
    if p95 > TARGETS["p95_ms"]:
        missed.append(f"p95 {p95:.2f} ms > {TARGETS['p95_ms']} ms")
    if warm["load_s"] + warm["build_s"] > TARGETS["load_s"]:
        missed.append(f"warm load + index {warm['load_s'] + warm['build_s']:.2f} s > {TARGETS['load_s']} s")
    print("\ntargets: " + ("all met" if not missed else "MISSED: " + "; ".join(missed)))
    import shutil

    shutil.rmtree(scratch, ignore_errors=True)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
