# Everyday commands for the course. Every target builds its own virtual
# environment first, so each works from a fresh clone:
#   make install   create .venv and install lessonkit with its test, browser, voila and hub extras
#   make lab       install only what the lessons need (no test tools) and open the course in
#                  JupyterLab on the start page (extra options: LAB_ARGS=...)
#   make check     validate the course content in data/
#   make test      content checks, unit tests, every notebook run top to bottom, every
#                  lesson in JupyterLab and Voila in Chromium, a class on JupyterHub, and the Binder build
#   make bench     print the benchmark figures (BENCH <name> <value> <unit>)
#   make clean     remove .venv and caches
#   make plotly-js fetch the charts' plotly.js bundle again from npm (maintainers; needs npm)

PYTHON ?= python3
VENV ?= .venv
LAB_ARGS ?=
PYTEST_ARGS ?=

# Two steps in one environment: the lessons' runtime (what make lab needs), then the test tools
# on top of it (make test), which leaves the runtime as it is.
LAB_STAMP := $(VENV)/.lab-installed
STAMP := $(VENV)/.installed
VPY := $(VENV)/bin/python

.PHONY: install bytecode lab check test bench clean plotly-js

install: $(STAMP)

# An editable install leaves lessonkit uncompiled, and where PYTHONDONTWRITEBYTECODE is set (as
# in many container images) every kernel would compile its modules again: about 80 ms per
# lesson. compileall writes the bytecode once and skips modules that are up to date.
bytecode: $(LAB_STAMP)
	@$(VPY) -m compileall -q lessonkit

$(LAB_STAMP): pyproject.toml
	test -x $(VPY) || $(PYTHON) -m venv $(VENV)
	$(VPY) -m pip install -q --upgrade pip
	$(VPY) -m pip install -q -e .
	touch $@

$(STAMP): $(LAB_STAMP)
	$(VPY) -m pip install -q -e '.[test,browser,voila,hub]'
	touch $@

# lessonkit.labopen adds --allow-root when run as root (saying so in one line) and --no-browser
# where there is no desktop, and makes the start page the address JupyterLab prints.
lab: bytecode
	$(VPY) -m lessonkit.labopen notebooks/00-start-here.ipynb $(LAB_ARGS)

check: $(LAB_STAMP)
	$(VENV)/bin/lessonkit check

# One pytest run for the unit tests and the notebooks (nbval only adds the
# .ipynb files; the tests/*.py still run as ordinary tests), so a single
# closing line counts everything.
test: $(STAMP) bytecode
	$(VENV)/bin/lessonkit check
	$(VENV)/bin/lessonkit sync --check
	$(VPY) -m pytest $(wildcard tests notebooks) --nbval-lax --nbval-current-env $(PYTEST_ARGS)

bench: $(STAMP) bytecode
	@$(VPY) benchmarks/run.py

# The version and digest live in lessonkit/plotly_js.py: change the version there, run this, then put
# the digest it prints there too (tests/test_plotly_js.py checks the file against both).
plotly-js:
	@tmp=$$(mktemp -d) && cd $$tmp && \
	  version=$$($(PYTHON) -c "import ast,sys; t=ast.parse(open('$(CURDIR)/lessonkit/plotly_js.py').read()); print(next(n.value.value for n in t.body if isinstance(n, ast.Assign) and n.targets[0].id == 'VERSION'))") && \
	  npm pack -q plotly.js-basic-dist-min@$$version >/dev/null && tar xzf plotly.js-basic-dist-min-$$version.tgz && \
	  cp package/plotly-basic.min.js $(CURDIR)/lessonkit/static/plotly-basic.min.js && \
	  cp package/LICENSE $(CURDIR)/lessonkit/static/plotly-basic.LICENSE.txt && \
	  cd $(CURDIR) && rm -rf $$tmp && sha256sum lessonkit/static/plotly-basic.min.js

clean:
	rm -rf $(VENV) .pytest_cache build dist *.egg-info
	find . -path ./.git -prune -o -type d -name __pycache__ -prune -exec rm -rf {} +
