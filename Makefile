# Two commands matter: `make run` and `make test`. Everything else is what they are made of.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYENV_ROOT ?= $(shell pyenv root 2>/dev/null || echo $$HOME/.pyenv)
PYTHON310 ?= $(firstword $(wildcard $(PYENV_ROOT)/versions/3.10.*/bin/python3.10) $(shell command -v python3.10))
PYTHON311 ?= $(firstword $(wildcard $(PYENV_ROOT)/versions/3.11.*/bin/python3.11) $(shell command -v python3.11))

RASA_VENV := .venv/rasa
GATEWAY_VENV := .venv/gateway
RASA_PY := $(RASA_VENV)/bin/python
GATEWAY_PY := $(GATEWAY_VENV)/bin/python

.PHONY: help setup run test lint typecheck learned-data test-knowledge test-bot train validate-data kb-import kb-validate \
	bench bench-knowledge bench-nlu bench-status clean chromium test-channels bench-gateway \
	test-maintenance bench-helpdesk bench-maintenance staff-account

help:
	@echo "make run    set up what is missing and start the assistant"
	@echo "make test   set up what is missing and run every check"
	@echo "make bench  print the benchmark figures"

$(RASA_VENV)/.installed: requirements/rasa.txt
	@test -n "$(PYTHON310)" || { echo "Python 3.10 not found (Rasa 3.6 needs it); set PYTHON310=/path/to/python3.10"; exit 1; }
	$(PYTHON310) -m venv $(RASA_VENV)
	$(RASA_PY) -m pip install --quiet --disable-pip-version-check -r requirements/rasa.txt
	touch $@

$(GATEWAY_VENV)/.installed: requirements/gateway.txt
	@test -n "$(PYTHON311)" || { echo "Python 3.11 not found; set PYTHON311=/path/to/python3.11"; exit 1; }
	$(PYTHON311) -m venv $(GATEWAY_VENV)
	$(GATEWAY_PY) -m pip install --quiet --disable-pip-version-check -r requirements/gateway.txt
	touch $@

# The widget's browser test drives Debian's Chromium (Playwright never downloads a browser of its own).
CHROMIUM := /usr/bin/chromium

$(CHROMIUM):
	apt-get update && apt-get install -y --no-install-recommends chromium

chromium: $(CHROMIUM)

setup: $(RASA_VENV)/.installed $(GATEWAY_VENV)/.installed $(CHROMIUM)

lint: $(GATEWAY_VENV)/.installed
	$(GATEWAY_VENV)/bin/ruff check .
	$(GATEWAY_VENV)/bin/ruff format --check .

typecheck: $(GATEWAY_VENV)/.installed
	$(GATEWAY_VENV)/bin/mypy knowledge bot actions maintenance
	$(GATEWAY_VENV)/bin/mypy channels

# knowledge/ is imported by both environments, so its tests run under both interpreters.
test-knowledge: learned-data
	$(GATEWAY_PY) -m pytest -q tests/knowledge
	$(RASA_PY) -m pytest -q -p no:cacheprovider tests/knowledge

# Trains only when config.yml, the domain or the training data changed (Rasa compares fingerprints).
train: setup
	scripts/train.sh

# What the assistant learns besides DIET: the search ranker (when its data changed) and DIET's generated
# citizen language (nlu_data/nlu/generated.yml, never committed).
learned-data: setup
	$(RASA_PY) -m knowledge train-ranker --if-stale
	$(RASA_PY) -m knowledge.citizen_language nlu

validate-data: learned-data
	source scripts/env.sh && $(RASA_VENV)/bin/rasa data validate --domain bot/domain --data nlu_data \
		--config config.yml --fail-on-warnings

# The NLU components, the actions, conversation tests (real NLU + dialogue) and the REST end to end.
test-bot: train validate-data
	source scripts/env.sh && $(RASA_PY) -m pytest -q -p no:cacheprovider tests/bot tests/actions tests/nlu
	source scripts/env.sh && $(RASA_VENV)/bin/rasa test core --e2e --model models/current.tar.gz \
		--stories tests/conversations --fail-on-prediction-errors --out results/conversations \
		--endpoints bot/endpoints.yml
	source scripts/env.sh && $(RASA_PY) -m pytest -q -p no:cacheprovider tests/e2e

# The gateway against the real Redis and the real Rasa (its own stack on test ports), the widget in
# Chromium. Needs the trained model, hence train.
test-channels: setup train
	$(GATEWAY_PY) -m pytest -q tests/channels

# The maintainers' CLI (python -m maintenance): diff, gates, model swap and knowledge reload under load.
test-maintenance: setup train
	source scripts/env.sh && $(RASA_PY) -m pytest -q -p no:cacheprovider tests/maintenance

test: setup lint typecheck test-knowledge test-bot test-channels test-maintenance

kb-import: $(GATEWAY_VENV)/.installed
	$(GATEWAY_PY) -m knowledge import

kb-validate: $(GATEWAY_VENV)/.installed
	$(GATEWAY_PY) -m knowledge validate

bench: bench-knowledge bench-nlu bench-status bench-gateway bench-helpdesk bench-maintenance

bench-knowledge: setup
	-$(GATEWAY_PY) bench/knowledge_bench.py  # exits 1 when a target is missed; the other benches still run

bench-nlu: train
	source scripts/env.sh && $(RASA_PY) bench/nlu_bench.py --with-server

# Status answer latency over the REST channel with the SQL store and with the HTTP connector.
bench-status: train
	source scripts/env.sh && $(RASA_PY) bench/status_bench.py

# N simulated users over the widget's WebSocket and the Zalo webhook (a local fake Zalo), and the same load
# straight to Rasa: the gateway's overhead.
bench-gateway: train
	$(GATEWAY_PY) bench/gateway_bench.py

# Time from an escalation to the conversation showing in an open help-desk console, 50 waiting.
bench-helpdesk: train
	$(GATEWAY_PY) bench/helpdesk_bench.py

# A full retrain, and the time from `kb import` of a fee change to the new fee in an answer.
bench-maintenance: train
	source scripts/env.sh && $(RASA_PY) bench/maintenance_bench.py

# The maintainers' CLI, e.g. `make maintain ARGS="kb diff --against HEAD"` (same as python -m maintenance).
.PHONY: maintain
maintain: setup
	source scripts/env.sh && $(RASA_PY) -m maintenance $(ARGS)

run: setup
	scripts/run.sh

# A help-desk account (asks for the username, name, role and password): the console's first supervisor.
staff-account: $(GATEWAY_VENV)/.installed
	@read -p "username: " u; read -p "full name: " n; read -p "role (agent/supervisor) [supervisor]: " r; \
	scripts/redis.sh && $(GATEWAY_PY) -m channels.helpdesk add-staff --username "$$u" --name "$$n" \
		--role "$${r:-supervisor}"

clean:
	rm -rf .venv models .rasa results .run
