#!/usr/bin/env bash
# Train the Rasa model; Rasa skips training when neither config.yml, the domain nor the data changed.
set -euo pipefail
source scripts/env.sh
.venv/rasa/bin/rasa train --config config.yml --domain bot/domain --data nlu_data \
  --out models --fixed-model-name current "$@"
