"""Entry point: python -m maintenance --help."""

import warnings

# Rasa 3.6 and its pinned libraries warn about their own deprecations on every import: noise for a
# maintainer reading the figures. The CLI reports its own problems in plain words.
warnings.simplefilter("ignore")

from maintenance.cli import app  # noqa: E402 - after the filter, which must precede Rasa's imports

app(prog_name="python -m maintenance")
