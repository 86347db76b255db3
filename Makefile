# The two commands: `make run` (demo app on http://127.0.0.1:8000) and `make test`.
# Both work on a fresh clone: they create the virtualenv and install what is missing.

PYTHON_BOOT := $(shell command -v python3.13 2>/dev/null || command -v python3 2>/dev/null)
VENV := .venv
PY := $(VENV)/bin/python
DEMO_ENV := DEBUG=true
PYTEST_ARGS ?=

.PHONY: run test deps lint bench messages chromium clean

run: deps
	$(DEMO_ENV) $(PY) manage.py migrate --noinput
	$(DEMO_ENV) $(PY) manage.py load_demo
	$(DEMO_ENV) $(PY) manage.py runserver 127.0.0.1:8000

test: deps chromium
	$(PY) -m pytest $(PYTEST_ARGS)

lint: deps
	$(VENV)/bin/ruff check .

bench: deps
	$(PY) bench/run_all.py

deps: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@test -n "$(PYTHON_BOOT)" || (echo "Python 3.13 is needed (pyenv reads .python-version)"; exit 1)
	@$(PYTHON_BOOT) -c 'import sys; sys.exit(sys.version_info < (3, 13))' || \
		(echo "Python 3.13 is needed, found $$($(PYTHON_BOOT) --version); install it with pyenv"; exit 1)
	test -x $(PY) || $(PYTHON_BOOT) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Browser tests drive Debian's Chromium; Playwright's own browser download cannot work here.
chromium:
	@command -v chromium >/dev/null || { \
		echo "Installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

messages: deps
	for app in events registrations streaming ideas; do \
		(cd $$app && ../$(PY) ../manage.py makemessages -l de --no-obsolete); done
	$(PY) manage.py makemessages -l de --no-obsolete --ignore='*/**' --ignore='.venv' || true
	$(PY) manage.py compilemessages

clean:
	rm -rf $(VENV) node_modules var staticfiles
