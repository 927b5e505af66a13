# The two commands of the README: `make test` and `make report`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: test report bench validate-kernel clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,report]'
	touch $(STAMP)

test: $(STAMP)
	$(BIN)/python -m pytest

report: $(STAMP)
	$(BIN)/python -m queuemath report

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[test,bench]"
	$(BIN)/python benchmarks/bench_closed_forms.py
	$(BIN)/python benchmarks/bench_simulate.py
	$(BIN)/python benchmarks/bench_mg1k.py
	$(BIN)/python benchmarks/bench_erlang_a.py
	$(BIN)/python benchmarks/bench_mgck_approx.py

# Real-kernel dynamic check (Linux loopback, ~2 minutes); writes measured data
# to paper/tables/kernel_dynamic.csv, which `make report` does not regenerate.
validate-kernel: $(STAMP)
	$(BIN)/python benchmarks/validate_kernel.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
