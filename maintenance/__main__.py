"""Entry point: python -m maintenance --help."""

from maintenance.cli import app

app(prog_name="python -m maintenance")
