# The two commands of the README: `make test` and `make report`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: test report docs chromium bench fuzz coverage validate-kernel lint lab clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,report,docs]'
	touch $(STAMP)

# The suite builds the documentation site and opens it in headless Chromium
# (tests/test_docs.py): Debian's chromium and chromium-driver are installed
# here when missing.
test: $(STAMP) chromium
	$(BIN)/ruff check queuemath tests benchmarks paper docs
	QUEUEMATH_REQUIRE_BROWSER=1 $(BIN)/python -m pytest -n 2

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
	$(BIN)/ruff check queuemath tests benchmarks paper docs

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis docs/_build docs/reference/generated docs/gallery

# The documentation site (Sphinx): executes the notebooks, the how-to guides and the
# gallery; warnings, broken cross-references included, are errors.  Output in
# docs/_build/html (open docs/_build/html/index.html); then the site is opened
# in headless Chromium (docs/check_site.py: math typeset, figures, no console errors).
docs: $(STAMP) chromium
	$(BIN)/python -m sphinx -W -n --keep-going -q -b html docs docs/_build/html
	$(BIN)/python docs/check_site.py docs/_build/html

# Debian's Chromium and ChromeDriver for the site check, installed when missing
# (needs root and Debian's package archive; nothing is downloaded by Python).
chromium:
	@test -x /usr/bin/chromium -a -x /usr/bin/chromedriver || { \
	  echo "installing Debian's chromium and chromium-driver"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; }
