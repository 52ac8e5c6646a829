# Two commands on a fresh machine: `make run` and `make test`. Both create .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-test

.PHONY: run test lint format bench-speed bench-accuracy bench-hostile bench-gateway bench-links clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

## run: the gateway and the web UI on embedded defaults (SQLite, spool, Maildir under var/)
run: $(STAMP)
	$(BIN)/sekisho run --home var

## test: lint, format check, then the whole suite
test: $(STAMP)
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests bench scripts

format: $(STAMP)
	$(BIN)/ruff format src tests bench scripts
	$(BIN)/ruff check --fix src tests bench scripts

## bench-speed: the incident workbook's scan time against calamine's bare read, peak RSS; ms per 100 KB of text
bench-speed: $(STAMP)
	$(BIN)/python bench/speed.py
	$(BIN)/python bench/text_scan.py

## bench-hostile: bombs, huge and corrupt files: time and peak RSS per case
bench-hostile: $(STAMP)
	$(BIN)/python bench/hostile.py

## bench-gateway: messages/s and added latency against a pass-through relay, peak RSS; links: release, 25 MB, downloads
bench-gateway: $(STAMP)
	$(BIN)/python bench/gateway.py

## bench-links: attachments sent as links (1 MB, 25 MB to 11 recipients): time, peak RSS
bench-links: $(STAMP)
	$(BIN)/python bench/links.py

## bench-accuracy: per-entity precision/recall/F2, record error, findings on negatives
bench-accuracy: $(STAMP)
	$(BIN)/python bench/accuracy/run.py --per-kind 10

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build src/*.egg-info var
