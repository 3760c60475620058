# Everyday commands for the course. Every target builds its own virtual
# environment first, so each works from a fresh clone:
#   make install   create .venv and install lessonkit with its test, browser, voila and hub extras
#   make lab       open the course in JupyterLab (extra options: LAB_ARGS=...)
#   make check     validate the course content in data/
#   make test      content checks, unit tests, every notebook run top to bottom, every
#                  lesson in JupyterLab and Voila in Chromium, a class on JupyterHub, and the Binder build
#   make bench     print the benchmark figures (BENCH <name> <value> <unit>)
#   make clean     remove .venv and caches

PYTHON ?= python3
VENV ?= .venv
LAB_ARGS ?=
PYTEST_ARGS ?=

STAMP := $(VENV)/.installed
VPY := $(VENV)/bin/python

# JupyterLab opens a browser itself where there is a desktop to open it on;
# elsewhere (a server, a container, CI) it only prints its URL.
ifeq ($(strip $(DISPLAY)$(WAYLAND_DISPLAY)),)
ifneq ($(shell uname -s),Darwin)
LAB_NO_BROWSER := --no-browser
endif
endif

.PHONY: install bytecode lab check test bench clean

install: $(STAMP)

# An editable install leaves lessonkit uncompiled, and where PYTHONDONTWRITEBYTECODE is set (as
# in many container images) every kernel would compile its modules again: about 80 ms per
# lesson. compileall writes the bytecode once and skips modules that are up to date.
bytecode: $(STAMP)
	@$(VPY) -m compileall -q lessonkit

$(STAMP): pyproject.toml
	test -x $(VPY) || $(PYTHON) -m venv $(VENV)
	$(VPY) -m pip install -q --upgrade pip
	$(VPY) -m pip install -q -e '.[test,browser,voila,hub]'
	touch $@

lab: bytecode
	$(VENV)/bin/jupyter lab notebooks/00-start-here.ipynb $(LAB_NO_BROWSER) $(LAB_ARGS)

check: $(STAMP)
	$(VENV)/bin/lessonkit check

# One pytest run for the unit tests and the notebooks (nbval only adds the
# .ipynb files; the tests/*.py still run as ordinary tests), so a single
# closing line counts everything.
test: bytecode
	$(VENV)/bin/lessonkit check
	$(VENV)/bin/lessonkit sync --check
	$(VPY) -m pytest $(wildcard tests notebooks) --nbval-lax --nbval-current-env $(PYTEST_ARGS)

bench: bytecode
	@$(VPY) benchmarks/run.py

clean:
	rm -rf $(VENV) .pytest_cache build dist *.egg-info
	find . -path ./.git -prune -o -type d -name __pycache__ -prune -exec rm -rf {} +
