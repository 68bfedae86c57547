# The PMO Portal's two set-up commands: `make run` and `make test`.
# Both create or update the virtualenv and the npm packages first, from the pinned lock files.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export DEBUG ?= true

.PHONY: run test bench install lint audit messages clean ldap-headers

# python-ldap (directory sign-in) has no Linux wheels: pip compiles it against these headers.
LDAP_HEADERS := /usr/include/ldap.h /usr/include/sasl/sasl.h
LDAP_HEADER_PACKAGES := libldap2-dev libsasl2-dev

$(BIN)/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	@$(MAKE) --no-print-directory ldap-headers
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

# Installs the headers when missing and this is root on Debian/Ubuntu; else says what to do.
ldap-headers:
	@if ! ls $(LDAP_HEADERS) >/dev/null 2>&1; then \
	  if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(LDAP_HEADER_PACKAGES); \
	  else \
	    echo "python-ldap is built from source and needs the OpenLDAP and SASL headers:" >&2; \
	    echo "install $(LDAP_HEADER_PACKAGES) (Debian/Ubuntu names), then run make again." >&2; \
	    exit 1; \
	  fi; \
	fi

node_modules/.package-lock.json: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

install: $(VENV)/.installed node_modules/.package-lock.json

run: install
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py seed_demo --size small --if-empty
	@echo
	@echo "  PMO Portal: http://$(HOST):$(PORT)/"
	@echo "  Demo logins (password 'demo'): admin, pmo, pm, resource, exec"
	@echo
	WEB_ADDRESS=$(HOST):$(PORT) $(BIN)/honcho start

test: install
	$(BIN)/python -m pytest -n auto $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run

# Security checks: known vulnerabilities of the pinned packages (pip-audit; a package whose
# advisories cannot be fetched is listed as skipped, and PIP_AUDIT_ARGS=--strict fails on it),
# the portal's own code (bandit, [tool.bandit] in pyproject.toml: high severity fails), and
# Django's deployment checks on production settings.
PIP_AUDIT_ARGS ?=
audit: install
	$(BIN)/pip-audit -r requirements.txt --no-deps --disable-pip --progress-spinner off $(PIP_AUDIT_ARGS)
	$(BIN)/bandit -c pyproject.toml -r . --severity-level high --quiet
	DEBUG=false ALLOWED_HOSTS=pmo.example.com \
	SECRET_KEY="$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	$(BIN)/python manage.py check --deploy --fail-level WARNING

# The benchmark keeps its own database (the `large` demo data), unless DATABASE_URL names one.
bench: export DATABASE_URL ?= sqlite:///$(CURDIR)/var/bench.sqlite3
bench: install
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py bench --seed-if-empty

MESSAGE_IGNORE := --ignore=.venv --ignore=node_modules --ignore=staticfiles --ignore=var \
	--ignore=tests

# Refresh the zh-hans catalogue from the source, then compile it (both files are committed).
messages: install
	$(BIN)/python manage.py makemessages -l zh_Hans --no-obsolete --no-location $(MESSAGE_IGNORE)
	$(BIN)/python manage.py compilemessages -l zh_Hans $(MESSAGE_IGNORE)

clean:
	rm -rf $(VENV) node_modules staticfiles
