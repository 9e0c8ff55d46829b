# Two commands do all the set-up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck unit test-editors bench eval eval-insecure clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	@echo "== spillguard scan examples/ (an app written the way assistants write code)"
	@$(BIN)/spillguard scan --root examples examples; status=$$?; test $$status -le 1

lint: $(STAMP)
	$(BIN)/ruff check server tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest -q

test: lint typecheck unit

test-editors: $(STAMP)
	bash editors/tests/run.sh

bench: $(STAMP)
	$(BIN)/python bench/stdlib_scan.py

eval: $(STAMP)
	$(BIN)/python bench/evaluate.py

eval-insecure: $(STAMP)
	$(BIN)/python bench/evaluate_insecure.py

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
