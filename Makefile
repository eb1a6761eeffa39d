# congso — two commands: `make run` and `make test`. See README.md.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
HOST   ?= 127.0.0.1
WORKERS ?= 2
THREADS ?= 8
PG_URL ?= postgres://postgres@127.0.0.1:5432/congso
# Where links in e-mails, QR codes and the sandbox bank's callbacks point.
export CONGSO_PUBLIC_URL ?= http://$(HOST):$(PORT)
REDIS_TEST_URL ?= redis://127.0.0.1:6379/15
PYTEST_ARGS ?= -n 2

.PHONY: help venv system-deps run serve demo migrate worker celery-worker celery-beat test test-postgres lint fmt bench lock clean

help:
	@echo "make run           install everything, load the demo province, serve on http://$(HOST):$(PORT)"
	@echo "make test          install everything and run the whole test suite (SQLite)"
	@echo "make test-postgres the same suite against PostgreSQL and Redis on loopback"
	@echo "make lint          ruff, ruff format --check, mypy --strict, manage.py check, makemigrations --check"
	@echo "make bench         benchmarks (bench/), printing figures"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

# Browser libraries congso serves itself (Chart.js), pinned by package-lock.json.
node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || bash scripts/system-deps.sh
	npm ci --no-audit --no-fund
	touch $@

venv: $(VENV)/.installed node_modules/.installed

# Debian packages: chromium (browser tests), fonts (PDF slips). Needs root or sudo.
system-deps:
	@bash scripts/system-deps.sh

migrate: venv
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo

run: demo system-deps
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	@$(BIN)/python manage.py demo_logins
	@echo "congso: http://$(HOST):$(PORT)/  (API docs: http://$(HOST):$(PORT)/api/v1/docs/)"
	$(BIN)/python manage.py run_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/gunicorn congso.wsgi --bind $(HOST):$(PORT) --workers $(WORKERS) --threads $(THREADS) \
		--access-logfile - --forwarded-allow-ips 127.0.0.1

# The embedded job worker (make run starts one); several may run side by side.
worker: venv
	$(BIN)/python manage.py run_worker

# Province scale: CELERY_BROKER_URL set; any number of workers and one beat.
celery-worker: venv
	$(BIN)/celery -A congso.celery worker -Q $${JOBS_CELERY_QUEUE:-congso} --loglevel INFO

celery-beat: venv
	$(BIN)/celery -A congso.celery beat --loglevel INFO --schedule $(CURDIR)/var/celerybeat-schedule

# Serve without reloading the demo (production mode uses this with its own env).
serve: venv
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/gunicorn congso.wsgi --bind $(HOST):$(PORT) --workers $(WORKERS) --threads $(THREADS) --access-logfile -

test: venv system-deps
	CONGSO_TESTING=true $(BIN)/pytest -m "not postgres" $(PYTEST_ARGS)

test-postgres: venv
	CONGSO_NEED_BROKERS=1 bash scripts/system-deps.sh
	CONGSO_TESTING=true DATABASE_URL=$(PG_URL) REDIS_URL=$(REDIS_TEST_URL) $(BIN)/pytest $(PYTEST_ARGS)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	$(BIN)/python manage.py check --fail-level WARNING
	$(BIN)/python manage.py makemigrations --check --dry-run

fmt: venv
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: venv
	CONGSO_NEED_BENCH=1 bash scripts/system-deps.sh
	$(BIN)/python bench/run.py

# Re-pin requirements.txt from requirements.in (needs the registry).
lock:
	rm -rf /tmp/congso-lock && $(PYTHON) -m venv /tmp/congso-lock
	/tmp/congso-lock/bin/pip install --quiet -r requirements.in
	/tmp/congso-lock/bin/pip freeze --exclude-editable | sort -f > requirements.txt

clean:
	rm -rf var/ .pytest_cache .mypy_cache .ruff_cache
