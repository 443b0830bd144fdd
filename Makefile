# portwright — the two commands a newcomer needs are `make demo` and `make test`.
# Everything they need (system packages, the virtualenv, the editable packages)
# is installed here, idempotently, so a fresh Debian clone works with no hand steps.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Debian packages the project needs: the browser, a real IMAP/LMTP server for
# emailed MFA codes, and sshd for the SFTP clearinghouse drop.
SYSTEM_PACKAGES := chromium dovecot-imapd dovecot-lmtpd openssh-server
STAMP := $(VENV)/.setup-stamp
PACKAGES := src/portwright adapters/valant/src/portwright_valant monitor/src/portwright_monitor

.PHONY: setup system-packages venv test lint typecheck pytest demo bench audit clean

setup: system-packages $(STAMP)

system-packages:
	@missing=""; for p in $(SYSTEM_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	    echo "installing system packages:$$missing"; \
	    export DEBIAN_FRONTEND=noninteractive; \
	    apt-get update -qq && apt-get install -y -qq --no-install-recommends $$missing </dev/null; \
	  else \
	    echo "missing system packages:$$missing"; \
	    echo "run: sudo apt-get install -y$$missing"; exit 1; \
	  fi; \
	fi

$(STAMP): pyproject.toml adapters/valant/pyproject.toml monitor/pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip </dev/null
	$(BIN)/python -m pip install -q -e '.[dev]' -e adapters/valant -e monitor </dev/null
	touch $(STAMP)

lint: setup
	$(BIN)/ruff check .

typecheck: setup
	$(BIN)/mypy $(PACKAGES)

# one worker per core; a test file stays on one worker, so its module fixtures (a
# sandbox, a Dovecot) start once. `make pytest PYTEST_WORKERS=0` runs in one process.
PYTEST_WORKERS ?= auto

pytest: setup
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadfile

audit: setup
	$(BIN)/portwright recordings audit

test: setup lint typecheck audit pytest

demo: setup
	$(BIN)/portwright demo

bench: setup
	@for f in $$(ls bench/*.py 2>/dev/null); do echo "== $$f"; $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .portwright
