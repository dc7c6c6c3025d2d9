# Kepu - the two commands: `make run` and `make test`. Everything else is a step of those.
# The build itself is CMake (build/ for release, build-asan/ for the sanitizer run).

JOBS ?= $(shell nproc)
DB ?= data/kepu.db
LISTEN ?= 127.0.0.1:8080
CMAKE_FLAGS ?=
FUZZ_SECONDS ?= 60

.PHONY: all build web deps deps-test run demo test test-unit test-asan test-e2e test-pg test-fuzz test-crash fuzz bench bench-stats clean

all: build web

deps:
	@scripts/deps.sh build

deps-test:
	@scripts/deps.sh test

build:
	@cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS) >/dev/null
	@cmake --build build -j $(JOBS)

# The UI: npm ci from the committed lock file, then Vite writes build/web; assets are also
# stored gzipped so the server can send them compressed without compressing per request.
# npm 11 refuses `npm ci` on a lock file written without registry addresses when packages
# have optional per-platform dependencies (rollup's); `npm install --no-save` then installs the
# same pinned versions from the lock without rewriting it.
web/node_modules/.package-lock.json: web/package-lock.json
	cd web && (npm ci --no-audit --no-fund 2>/dev/null || npm install --no-save --no-audit --no-fund)
	@touch $@

web: web/node_modules/.package-lock.json
	cd web && npm run build
	@find build/web -type f \( -name '*.js' -o -name '*.css' -o -name '*.html' -o -name '*.svg' -o -name '*.json' \) \
	  -size +1k -exec gzip -9 -k -f {} \;

$(DB):
	./build/kepu demo --db $(DB)

run: deps all $(DB)
	@echo "Kepu: http://$(LISTEN)/  (demo logins above; they are printed by 'build/kepu demo')"
	./build/kepu serve --listen $(LISTEN) --db $(DB)

# `all` builds web/ first: its npm packages include @redocly/cli, which ctest's openapi_lint runs.
# Each stage's start time is printed (STAGE), so a slow CI run shows where its minutes went.
STAGE = @echo "== make test: $(1) at $$(date -u +%T)"
test: deps deps-test all
	$(call STAGE,ctest)
	cd build && ctest --output-on-failure -j 2
	bash tests/export_memory.sh build/kepu
	$(call STAGE,e2e)
	$(MAKE) test-e2e
	$(call STAGE,pg)
	$(MAKE) test-pg
	$(call STAGE,asan)
	$(MAKE) test-asan
	$(call STAGE,fuzz)
	$(MAKE) test-fuzz
	$(call STAGE,crash)
	$(MAKE) test-crash
	$(call STAGE,done)

# The API and browser tests again on PostgreSQL (a throw-away server on loopback).
test-pg:
	bash tests/run_pg.sh build

# Unit and API tests again under AddressSanitizer + UndefinedBehaviorSanitizer.
test-asan:
	@cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DKEPU_SANITIZE=ON >/dev/null
	@cmake --build build-asan -j $(JOBS)
	cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
	  LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp \
	  ctest --output-on-failure -j 2 -LE whole_city

# Each libFuzzer harness of tests/fuzz for a few seconds (clang, ASan+UBSan, build-fuzz/).
test-fuzz:
	bash tests/fuzz/run.sh 5

# The harnesses for FUZZ_SECONDS each (default 60): `make fuzz FUZZ_SECONDS=600`.
fuzz: deps-test
	bash tests/fuzz/run.sh $(FUZZ_SECONDS)

# kill -9 during concurrent writes: SQLite (50 kills) here, PostgreSQL from test-pg.
test-crash:
	bash tests/crash_kill9.sh build/kepu

test-e2e:
	bash tests/e2e/run.sh $(CURDIR)/build/kepu

bench: deps-test all
	bash bench/api_read.sh

# The statistics engine over 10 million activities (about half an hour on 2 cores).
bench-stats: deps-test all
	bash bench/stats.sh

clean:
	rm -rf build build-asan build-fuzz
