"""python -m actions.status import-csv FILE [--db URL] [--if-empty]."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from actions.status.connector import StatusSettings, StatusUnavailable
from actions.status.csv_import import CsvImportError, import_csv
from actions.status.sql_store import SqlStatusStore


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m actions.status", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    importer = commands.add_parser("import-csv", help="import a CSV export into the status store")
    importer.add_argument("file", type=Path)
    importer.add_argument("--db", help="SQLAlchemy URL (default: STATUS_DB_URL or the local SQLite file)")
    importer.add_argument("--if-empty", action="store_true", help="import only into an empty store")
    args = parser.parse_args(argv)

    settings = StatusSettings.from_env()
    url = args.db or settings.db_url
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    store = SqlStatusStore(url, settings.hash_secret, timeout=settings.timeout)
    try:
        result = import_csv(args.file, store, if_empty=args.if_empty)
    except (CsvImportError, StatusUnavailable, OSError) as error:
        print(f"import failed: {error}", file=sys.stderr)
        return 1
    finally:
        store.close()
    if args.if_empty and result.imported == 0:
        print(f"status store already has {result.store_total} application(s); nothing imported")
    else:
        print(f"imported {result.imported} application(s); the store now holds {result.store_total}")
    return 0
