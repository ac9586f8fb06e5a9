# Two commands for a newcomer (see README.md):
#   make run    install what is missing, build, start the server on 127.0.0.1:8989
#   make test   install what is missing, build, run every test through CTest
BUILD ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= $(shell nproc)
CONFIG ?= config/bora.conf

.PHONY: all deps test-deps configure build run test bench clean

all: build

deps:
	@./scripts/install-deps.sh

test-deps:
	@./scripts/install-deps.sh --with-test

configure:
	@if [ ! -f $(BUILD)/build.ninja ]; then \
	  cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) >/dev/null; \
	fi

build: deps configure
	@ninja -C $(BUILD) -j $(JOBS)

run: build
	@mkdir -p var
	./$(BUILD)/src/cli/bora server --config $(CONFIG)

test: test-deps configure
	@ninja -C $(BUILD) -j $(JOBS)
	@cd $(BUILD) && ctest --output-on-failure --timeout 600 -j $(JOBS)

bench: build
	@./scripts/run-benchmarks.sh $(BUILD)

clean:
	rm -rf $(BUILD)
