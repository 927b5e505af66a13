# The two commands of the README: `make test` and `make report`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: test report bench fuzz coverage validate-kernel lint lab clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,report]'
	touch $(STAMP)

test: $(STAMP)
	$(BIN)/ruff check queuemath tests benchmarks paper
	$(BIN)/python -m pytest -n 2

report: $(STAMP)
	$(BIN)/python paper/build.py

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[test,bench]"
	$(BIN)/python benchmarks/bench_closed_forms.py
	$(BIN)/python benchmarks/bench_simulate.py
	$(BIN)/python benchmarks/bench_storm.py
	$(BIN)/python benchmarks/bench_mg1k.py
	$(BIN)/python benchmarks/bench_erlang_a.py
	$(BIN)/python benchmarks/bench_mgck_approx.py
	$(BIN)/python benchmarks/bench_waiting.py
	$(BIN)/python benchmarks/bench_mphck.py
	$(BIN)/python benchmarks/bench_transient.py
	$(BIN)/python benchmarks/bench_mva.py

# Adversarial budget (~10 minutes on 2 cores, 5000 points per family): every public quantity against
# mpmath at random points; writes benchmarks/accuracy.md, fails above 1e-12.
# `make test` runs a fixed-seed sample of the same families.
fuzz: $(STAMP)
	$(BIN)/python benchmarks/fuzz.py

# Coverage of the default Monte Carlo intervals at loads 0.5-0.99 for every
# model of issue 14 (1000 runs each; 2 to 3 hours on 2 cores); writes
# benchmarks/coverage.md, fails outside 0.95 +- 0.02.  `make test` runs a
# fixed-seed sample (tests/test_coverage.py).
coverage: $(STAMP)
	$(BIN)/python benchmarks/coverage_matrix.py

# Real-kernel dynamic check (Linux loopback, ~2 minutes); writes measured data
# to paper/measured/kernel_dynamic.csv, which `make report` does not regenerate.
validate-kernel: $(STAMP)
	$(BIN)/python benchmarks/validate_kernel.py

# JupyterLab on the notebooks, with the project's .venv as the kernel
# (JupyterLab and ipywidgets, for qm.explore and the progress bars, come
# with the notebook extras).
lab: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[test,report,notebook]"
	$(BIN)/jupyter lab notebooks

lint: $(STAMP)
	$(BIN)/ruff check queuemath tests benchmarks paper

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
