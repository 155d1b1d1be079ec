# The two README commands: `make run` and `make test`. Everything else is a helper.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000

.PHONY: run test lint format bench worker beat install clean restore-drill

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

## Set up, migrate, load the demo data, build its downloads and serve http://127.0.0.1:$(PORT) (SQLite, in-process tasks).
run: $(STAMP)
	DJANGO_DEBUG=1 $(BIN)/python manage.py migrate --no-input
	DJANGO_DEBUG=1 $(BIN)/python manage.py load_demo
	DJANGO_DEBUG=1 $(BIN)/python manage.py build_downloads
	DJANGO_DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

## Set up and run the whole suite (PostgreSQL and Redis when they answer on 127.0.0.1).
test: $(STAMP)
	. bin/services-env && $(BIN)/pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## Benchmarks at UN scale on PostgreSQL; prints figures, gates nothing.
# The load tool (locust) and the profiler (pyinstrument) only the benchmark needs.
BENCH_STAMP := $(VENV)/.bench-installed
$(BENCH_STAMP): $(STAMP)
	$(BIN)/pip install --quiet 'locust>=2.40' 'pyinstrument>=5'
	touch $@

bench: $(BENCH_STAMP)
	. bin/services-env && $(BIN)/python -m tests.bench

## Dump DATABASE_URL (pg_dump -Fc), restore it into a new database, check every table
## (matrix cells included) is identical, drop the copy. Exit status 1 on a difference.
restore-drill: $(STAMP)
	. bin/services-env && $(BIN)/python -m tracker.backup

worker: $(STAMP)
	$(BIN)/celery -A tracker worker --loglevel=INFO --concurrency=1

beat: $(STAMP)
	$(BIN)/celery -A tracker beat --loglevel=INFO

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache artifacts
