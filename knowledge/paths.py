"""Where the knowledge base keeps its files inside the project."""

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR / "data"
SNAPSHOT = DATA_DIR / "dvc_procedures.jsonl.gz"
PROCEDURES = DATA_DIR / "procedures.jsonl"
PROVINCES = DATA_DIR / "provinces_2025.csv"
OVERLAY_DIR = PACKAGE_DIR / "overlay"
VOCABULARY_DIR = PACKAGE_DIR / "vocabulary"
RANKER = DATA_DIR / "ranker.json"  # the learned ranker: python -m knowledge train-ranker
