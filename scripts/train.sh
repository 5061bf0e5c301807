#!/usr/bin/env bash
# Train what the assistant learns: the search ranker (only when the knowledge base, the overlay, the
# vocabulary or the generator changed), DIET's generated citizen language, then the Rasa model (Rasa
# skips training when neither config.yml, the domain nor the data changed).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
.venv/rasa/bin/python -m knowledge train-ranker --if-stale
.venv/rasa/bin/python -m knowledge.citizen_language nlu
.venv/rasa/bin/rasa train --config config.yml --domain bot/domain --data nlu_data \
  --out models --fixed-model-name current "$@"
