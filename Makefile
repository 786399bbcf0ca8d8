# The two commands a newcomer needs:
#   make run    start the demo on http://127.0.0.1:8000 (SQLite, in-memory channel layer, demo family)
#               DEMO=1: the embedded defaults with Django's DEBUG off, so the demo shows the site's own
#               error pages; DEBUG=1 instead for Django's debug pages while developing
#   make test   run every test (on PostgreSQL and Redis when they are reachable, as in CI)

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
PY := $(VENV)/bin/python
DEMO_ENV := DEMO=1

.PHONY: run test test-fast e2e screens perf perf-moderated messages lint check-deploy clean

$(VENV)/.installed: pyproject.toml
	@echo "Installing Kompas and its libraries into $(VENV): this takes a minute or two (only on the first run, or after pyproject.toml changed)."
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,dev]'
	@touch $@

run: $(VENV)/.installed
	$(DEMO_ENV) $(PY) manage.py migrate --noinput
	$(DEMO_ENV) $(PY) manage.py seed_demo
	@echo "Open http://127.0.0.1:8000 (stop with Ctrl+C)"
	$(DEMO_ENV) $(VENV)/bin/daphne -b 127.0.0.1 -p 8000 --websocket-max-message-size 1048576 config.asgi:application

test: $(VENV)/.installed
	bash tools/test.sh

test-fast: $(VENV)/.installed
	bash tools/test.sh --no-e2e

e2e: $(VENV)/.installed
	bash tools/test.sh --only-e2e

# A screenshot of every page at 360 x 740 in Dutch, in test-results/screens/ (needs PostgreSQL).
screens: $(VENV)/.installed
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest tests/e2e/tour.py -p no:playwright -q

# Benchmarks (several minutes): the chat at 100 msg/s for 90 s against the tutorial relay, with figures
# per 10-second window, then both stepped
# up to their highest sustainable rate; the chat in moderated mode; the plan editor; the tone check's
# quality and speed. PERF_STEPS= (empty) skips the step-up.
# The plan benchmark's server needs the test database in PostgreSQL and Redis: the local ones unless
# DATABASE_URL and REDIS_URL say otherwise (as tools/test.sh does).
perf: $(VENV)/.installed
	DATABASE_URL=$${DATABASE_URL-postgres://postgres@127.0.0.1:5432/kompas} REDIS_URL=$${REDIS_URL-redis://127.0.0.1:6379/0} \
	PERF_STEPS=$${PERF_STEPS-150,200,300,400,450,500,600} $(PY) -m pytest tests/perf -m perf -s

# The moderated-mode run alone (also part of make perf): 100 families in moderated mode, parents
# sending and practitioners releasing over real sockets, 20 msg/s for 30 s; prints hold-to-queue and
# release-to-delivery latency. PERF_MOD_FAMILIES, PERF_MOD_RATE, PERF_MOD_SECONDS change it.
perf-moderated: $(VENV)/.installed
	$(PY) -m pytest tests/perf/test_moderated_benchmark.py -m perf -s

messages: $(VENV)/.installed
	DEBUG=1 $(PY) manage.py makemessages -l en -l nl --no-location -i '.venv/*' -i 'tests/*' -i 'var/*' -i 'tools/*'
	DEBUG=1 $(PY) manage.py compilemessages -i '.venv' -i 'var'

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .

check-deploy: $(VENV)/.installed
	DEBUG=0 SECRET_KEY=$$($(PY) -c 'import secrets;print(secrets.token_urlsafe(60))') \
	FIELD_ENCRYPTION_KEYS=$$($(PY) -c 'from cryptography.fernet import Fernet;print(Fernet.generate_key().decode())') \
	ALLOWED_HOSTS=kompas.example.org $(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) var
