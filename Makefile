# Two commands for a newcomer (see README.md):
#   make run    install what is missing, build, start the server on 127.0.0.1:8989
#   make test   install what is missing, build, run every test through CTest
# and for the hardening work (docs/ARCHITECTURE.md, "Fuzzing and sanitizers"):
#   make fuzz   build the libFuzzer targets and run each for FUZZ_SECONDS
#               (a long campaign: make fuzz FUZZ_SECONDS=1800)
# and for operators (docs/OPERATIONS.md):
#   make deb    build bora_<version>_amd64.deb (binary, /etc/bora/bora.conf,
#               systemd unit, man pages) in $(BUILD)/
BUILD ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= $(shell nproc)
# Tests at once: most of the suite waits (on a private Keystone, MariaDB's
# fsync, RabbitMQ, a server's timers), not computes, so twice the cores keeps
# the machine busy; the tests with wall-clock bounds (test_load, the slow
# evaluation test, the UI's load time) hold on a machine loaded beyond that.
TEST_JOBS ?= $(shell echo $$(( $$(nproc) * 2 )))
CONFIG ?= config/bora.conf
# Unity build (cmake/BuildModes.cmake) of $(BUILD) when `configure` first
# makes it: OFF keeps a one-file change a one-file rebuild, for developers;
# CI (.ci/run), which builds once from a clean clone, sets ON. The
# sanitizer build is always a unity build.
UNITY ?= OFF

# One second build directory, built with clang, AddressSanitizer,
# UndefinedBehaviorSanitizer and libFuzzer's coverage instrumentation: the
# sanitizer run of the whole suite and the fuzz targets share it.
SAN_BUILD ?= build-fuzz
FUZZ_TARGETS := yaml_spec yaql jinja json http_router cron
FUZZ_SECONDS ?= 60
# In `make test`: every target for this long on its seeds (6 x 5 s = 30 s);
# 0 leaves the timed runs out (the seeds are still replayed by CTest).
FUZZ_CI_SECONDS ?= 5
# libFuzzer's random seed: 0 picks one; `make test` fixes it, so that its
# short runs follow the same mutations wherever they run.
FUZZ_SEED ?= 0
# An input running longer than this (seconds) is reported as a hang.
FUZZ_TIMEOUT ?= 10
SAN_REPORTS = $(abspath $(SAN_BUILD))/sanitizer-reports
# halt_on_error: the first report ends the process, so the test that caused
# it fails. detect_leaks: the suite is leak-clean, keep it so. log_path: a
# report from a `bora` server that a Python test started (its stderr goes to
# a log nobody reads) is caught too: any file there fails the run.
SAN_ENV = ASAN_OPTIONS=halt_on_error=1:detect_leaks=1:detect_stack_use_after_return=1:check_initialization_order=1:log_path=$(SAN_REPORTS)/asan \
  UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:log_path=$(SAN_REPORTS)/ubsan
FUZZ_ENV = ASAN_OPTIONS=detect_leaks=1:detect_stack_use_after_return=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1

.PHONY: all deps test-deps configure san-configure build run test san-test fuzz fuzz-build bench bench-cluster deb clean

all: build

deps:
	@./scripts/install-deps.sh

test-deps:
	@./scripts/install-deps.sh --with-test

configure:
	@if [ ! -f $(BUILD)/build.ninja ]; then \
	  cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) -DBORA_UNITY=$(UNITY) >/dev/null; \
	fi

san-configure:
	@if [ ! -f $(SAN_BUILD)/build.ninja ]; then \
	  cmake -S . -B $(SAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	    -DBORA_FUZZ=ON -DBORA_UNITY=ON -DBORA_BUILD_BENCH=OFF -DBORA_WITH_UI=OFF >/dev/null; \
	fi

build: deps configure
	@ninja -C $(BUILD) -j $(JOBS)

run: build
	@mkdir -p var
	./$(BUILD)/src/cli/bora server --config $(CONFIG)

# The suite waits on other processes (Keystone, MariaDB's fsync, a server's
# timers) for a sixth of its run: the sanitizer build runs beside it at idle
# priority (SCHED_IDLE: it gets a core only when no test wants one, so the
# tests' timing is theirs) and uses that time, which takes about a minute
# off CI's 30. san-test then finds it built.
# Each phase prints its wall time (`make test: ...`), so that a CI log says
# where its minutes went.
test: test-deps configure san-configure
	@t=$$(date +%s); ninja -C $(BUILD) -j $(JOBS) || exit 1; \
	  echo "make test: build of $(BUILD) $$(( $$(date +%s) - t )) s"
	@t=$$(date +%s); chrt --idle 0 ninja -C $(SAN_BUILD) -j $(JOBS) > $(SAN_BUILD)/ninja-beside-tests.log 2>&1 & san_build=$$!; \
	  (cd $(BUILD) && ctest --output-on-failure --timeout 600 -j $(TEST_JOBS)); status=$$?; \
	  echo "make test: suite $$(( $$(date +%s) - t )) s"; \
	  wait $$san_build || tail -n 40 $(SAN_BUILD)/ninja-beside-tests.log; \
	  echo "make test: build of $(SAN_BUILD) done $$(( $$(date +%s) - t )) s after the suite started"; \
	  exit $$status
	@t=$$(date +%s); $(MAKE) --no-print-directory san-test; status=$$?; \
	  echo "make test: suite under the sanitizers $$(( $$(date +%s) - t )) s"; exit $$status
	@if [ "$(FUZZ_CI_SECONDS)" != 0 ]; then $(MAKE) --no-print-directory fuzz-run FUZZ_SECONDS=$(FUZZ_CI_SECONDS) FUZZ_SEED=1; fi

# The whole suite again under the sanitizers (each fuzz target also replays
# its seeds there); fails on a failed test or on any sanitizer report.
san-test: test-deps san-configure
	@ninja -C $(SAN_BUILD) -j $(JOBS)
	@rm -rf $(SAN_REPORTS) && mkdir -p $(SAN_REPORTS)
	@cd $(SAN_BUILD) && $(SAN_ENV) ctest --output-on-failure --timeout 900 -j $(TEST_JOBS); status=$$?; \
	  reports=$$(ls $(SAN_REPORTS)); \
	  for r in $$reports; do echo "==== sanitizer report $$r"; cat $(SAN_REPORTS)/$$r; done; \
	  if [ -n "$$reports" ]; then echo "sanitizers: $$(echo $$reports | wc -w) report(s), see above" >&2; exit 1; fi; \
	  exit $$status

fuzz-build: test-deps san-configure
	@ninja -C $(SAN_BUILD) -j $(JOBS) fuzz_seeds $(addprefix fuzz_,$(FUZZ_TARGETS))

fuzz: fuzz-build
	@$(MAKE) --no-print-directory fuzz-run

# Each target for FUZZ_SECONDS on its corpus ($(SAN_BUILD)/fuzz/corpus/<t>,
# where it keeps what it learns) and its seeds; a crash, leak, UB report,
# hang or broken promise is saved under $(SAN_BUILD)/fuzz/findings/<t>/ and
# fails the run. Replay one: $(SAN_BUILD)/test/fuzz/fuzz_<t> FILE.
fuzz-run:
	@status=0; for t in $(FUZZ_TARGETS); do \
	  corpus=$(SAN_BUILD)/fuzz/corpus/$$t; findings=$(SAN_BUILD)/fuzz/findings/$$t; log=$(SAN_BUILD)/fuzz/$$t.log; \
	  mkdir -p $$corpus $$findings; \
	  if $(FUZZ_ENV) $(SAN_BUILD)/test/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -seed=$(FUZZ_SEED) -timeout=$(FUZZ_TIMEOUT) \
	      -rss_limit_mb=4096 -max_len=16384 -print_final_stats=1 -dict=test/fuzz/$$t.dict \
	      -artifact_prefix=$$findings/ $$corpus $(SAN_BUILD)/test/fuzz/seeds/$$t > $$log 2>&1; then \
	    echo "fuzz $$t: $$(grep -o 'stat::number_of_executed_units: *[0-9]*' $$log | grep -o '[0-9]*$$') execs in $(FUZZ_SECONDS) s, $$(ls $$corpus | wc -l) inputs in its corpus, no finding"; \
	  else \
	    status=1; echo "fuzz $$t: FINDING (log $$log):" >&2; grep -A40 -m1 -E '==[0-9]+==ERROR|BORA FUZZ FINDING|runtime error|deadly signal|timeout|out-of-memory' $$log >&2; \
	  fi; \
	done; exit $$status

deb: build
	@cd $(BUILD) && cpack -G DEB >/dev/null && ls -1 $$(pwd)/bora_*_amd64.deb

bench: build
	@./scripts/run-benchmarks.sh $(BUILD)

# The API scenarios on a private MariaDB with 1, 2 and 3 nodes and on SQLite
# beside them (docs/STORAGE.md "Measured"); needs mariadb-server (test-deps).
bench-cluster: build
	@/usr/bin/python3 bench/cluster/bench_cluster.py --build $(BUILD)

clean:
	rm -rf $(BUILD) $(SAN_BUILD)
