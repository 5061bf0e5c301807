"""Maintenance benchmark: a full retrain, and the time from `kb import` of a fee change to the new fee in
an answer (Rasa's REST channel, the real action server, on a copy of the knowledge base).

Run with the Rasa environment: `make bench-maintenance`. `--skip-train` reuses the last measured retrain
time (printed as such) instead of training again; the stack runs on ports 19105/19155, Redis db 4.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

EXAMPLE = ROOT / "maintenance" / "examples" / "portal-export-2026-08.jsonl"
MEASURED = ROOT / ".cache" / "maintenance" / "bench.json"
QUESTION = "làm hộ chiếu hết bao nhiêu tiền"
FEES = {"new": "Trực tiếp: 250.000 đồng", "old": "Trực tiếp: 200.000 đồng"}
RASA_PORT, ACTIONS_PORT, REDIS_DB = 19105, 19155, 4


def time_retrain() -> float:
    """A full training from scratch (`python -m maintenance train --force` with an empty Rasa training
    cache, as after a change to the NLU data) into a temporary folder."""
    from maintenance.settings import Settings
    from maintenance.training import train

    with tempfile.TemporaryDirectory() as out:
        os.environ["RASA_CACHE_DIRECTORY"] = str(Path(out) / "rasa-cache")  # nothing reused from .rasa/cache
        try:
            start = time.perf_counter()
            model = train(Settings(models_dir=Path(out)), force=True)
            seconds = time.perf_counter() - start
        finally:
            del os.environ["RASA_CACHE_DIRECTORY"]
        assert model is not None and model.exists()
    MEASURED.parent.mkdir(parents=True, exist_ok=True)
    MEASURED.write_text(
        json.dumps({"retrain_seconds": seconds, "measured_at": time.strftime("%Y-%m-%d %H:%M:%S")}),
        encoding="utf-8",
    )
    return seconds


def original_records(directory: Path) -> Path:
    """The example's procedures as they are in the committed snapshot (to import the change back)."""
    codes = {json.loads(line)["ma_thu_tuc"] for line in EXAMPLE.read_text(encoding="utf-8").splitlines()}
    out = directory / "original.jsonl"
    with gzip.open(ROOT / "knowledge" / "data" / "dvc_procedures.jsonl.gz", "rt", encoding="utf-8") as lines:
        out.write_text(
            "".join(line for line in lines if json.loads(line)["ma_thu_tuc"] in codes), encoding="utf-8"
        )
    return out


def ask(session: requests.Session, url: str, sender: str) -> str:
    response = session.post(
        f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": QUESTION}, timeout=60
    )
    response.raise_for_status()
    return "\n".join(m.get("text", "") for m in response.json())


def time_fee_change(rounds: int) -> None:
    from tests.e2e.services import running_stack

    with tempfile.TemporaryDirectory() as directory:
        kb = Path(directory)
        shutil.copy2(ROOT / "knowledge" / "data" / "procedures.jsonl", kb / "procedures.jsonl")
        shutil.copy2(ROOT / "knowledge" / "data" / "dvc_procedures.jsonl.gz", kb / "dvc_procedures.jsonl.gz")
        env = {
            "KNOWLEDGE_PROCEDURES": str(kb / "procedures.jsonl"),
            "KNOWLEDGE_SNAPSHOT": str(kb / "dvc_procedures.jsonl.gz"),
            "KNOWLEDGE_CACHE_DIR": str(kb / "cache"),
            "MAINTENANCE_HISTORY_DIR": str(kb / "history"),
            "REDIS_LOCK_DB": str(REDIS_DB),
        }
        exports = {"new": EXAMPLE, "old": original_records(kb)}
        with running_stack(
            rasa_port=RASA_PORT, actions_port=ACTIONS_PORT, redis_db=REDIS_DB, env=env
        ) as stack:
            session = requests.Session()
            if FEES["old"] not in ask(session, stack.rasa_url, "bench-warmup"):
                raise SystemExit("the stack does not answer the passport fee; cannot measure")
            imports, visible, total = [], [], []
            for number in range(rounds * 2):
                which = "new" if number % 2 == 0 else "old"
                started = time.perf_counter()
                subprocess.run(
                    [sys.executable, "-m", "maintenance", "kb", "import", "--procedure", str(exports[which])],
                    cwd=ROOT, env={**os.environ, **env, "PYTHONPATH": str(ROOT)}, check=True,
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                )  # fmt: skip
                imported = time.perf_counter()
                while FEES[which] not in ask(session, stack.rasa_url, f"bench-{number}"):
                    if time.perf_counter() - imported > 60:
                        raise SystemExit(f"round {number}: the {which} fee never appeared")
                    time.sleep(0.05)
                answered = time.perf_counter()
                imports.append(imported - started)
                visible.append(answered - imported)
                total.append(answered - started)
    print(f"kb import of a fee change → new fee in an answer, {len(total)} imports (fee changed and back):")
    for label, values in (
        ("kb import command (parse, snapshot, atomic swap)", imports),
        ("import finished → new fee answered", visible),
        ("kb import started → new fee answered", total),
    ):
        print(f"  {label:<50} median {statistics.median(values):5.2f} s   max {max(values):5.2f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--skip-train", action="store_true", help="reuse the last measured retrain time")
    parser.add_argument("--rounds", type=int, default=3, help="fee changes (each imported and reverted)")
    args = parser.parse_args()

    if args.skip_train:
        try:
            measured = json.loads(MEASURED.read_text(encoding="utf-8"))
            print(
                f"full retrain: {measured['retrain_seconds']:.0f} s  (NOT measured now: --skip-train"
                f" reuses the figure measured {measured['measured_at']})"
            )
        except (OSError, ValueError, KeyError):
            print("full retrain: not measured (--skip-train and no earlier measurement)")
    else:
        print(f"full retrain (maintenance train --force, empty training cache): {time_retrain():.0f} s")
    time_fee_change(args.rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
