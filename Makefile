# The two commands: `make run` (demo app on http://127.0.0.1:8000) and `make test`.
# Both work on a fresh clone: they create the virtualenv and install what is missing.

PYTHON_BOOT := $(shell command -v python3.13 2>/dev/null || command -v python3 2>/dev/null)
VENV := .venv
PY := $(VENV)/bin/python
PYTEST_ARGS ?= -n 2

.PHONY: run test deps lint bench messages system-deps pdf-deps clean

run: deps pdf-deps
	ops/demo.sh

# Tests that restart PostgreSQL restart a private cluster of their own (tests/operations/conftest.py),
# so they run beside the others. The browser journeys (tests/journeys/: gunicorn, DEBUG off,
# Chromium) run once, on PostgreSQL, as a run of their own, so that the check that every POST
# route was submitted sees all of them.
test: deps system-deps pdf-deps
	$(PY) -m pytest $(PYTEST_ARGS) -m "not journey"
	@case "$$DATABASE_URL" in postgres*) $(PY) -m pytest -n 2 -m journey tests/journeys ;; esac

lint: deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# The benchmarks need what the tests need (Dovecot for the intake, PostgreSQL at 127.0.0.1 or
# BENCH_DATABASE_URL). `make bench` runs them in full; CI runs `bench/run_all.py --quick`.
bench: deps system-deps
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

# The real parts the tests start: Debian's Chromium for the browser tests (Playwright's own
# browser download cannot work here), Dovecot for the e-mail intake, pg_dump for the backups,
# nginx and openssl for the several-hosts test (tests/operations/test_several_hosts.py).
SYSTEM_PACKAGES := chromium:chromium dovecot:dovecot-imapd pg_dump:postgresql-client msgfmt:gettext \
	nginx:nginx openssl:openssl
system-deps:
	@missing=""; for pair in $(SYSTEM_PACKAGES); do \
		command -v $${pair%%:*} >/dev/null || missing="$$missing $${pair#*:}"; done; \
	if [ -n "$$missing" ]; then echo "Installing Debian packages:$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; fi

# Pango, which WeasyPrint (the PDF of a process's result, docs/processes.md) draws text with.
pdf-deps:
	@ldconfig -p | grep -q 'libpangoft2-1.0.so.0' || { echo "Installing Debian packages: libpango-1.0-0 libpangoft2-1.0-0"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 >/dev/null; }

messages: deps
	for app in events registrations streaming ideas processes reports; do \
		(cd $$app && ../$(PY) ../manage.py makemessages -l de --no-obsolete); done
	$(PY) manage.py makemessages -l de --no-obsolete --ignore='*/**' --ignore='.venv' || true
	$(PY) manage.py compilemessages

clean:
	rm -rf $(VENV) node_modules var staticfiles
