# tickwire — one entry point for building, testing and running.
#   make run    set up what is missing, then run the daemon on the simulated card with a generated day
#               on lossy lines, a re-request server for its gaps, and a client process printing top of
#               book from its fan-out ring; stops by itself
#   make test   set up what is missing, then run every test
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
ENV := source scripts/env.sh &&
CARGO_FLAGS ?= --release
CAPTURE := build/sample.pcap

.PHONY: all setup run test gen regs regs-check lint shells-check bitstream flash synth cdc-audit synth-checks tb test-rust test-py test-vfio clippy fuzz bench-host bench-latency clean

all: test

setup:
	@scripts/setup.sh

# ---------------------------------------------------------------- the main job
run: setup
	@mkdir -p build
	$(ENV) cargo build -q $(CARGO_FLAGS) -p tickwired
	@echo "run: tickwired on the simulated card (examples/run.toml, lossy lines), a re-request server for its gaps, tickwire book reading its fan-out ring"
	$(ENV) { target/release/tickwire rerequest-server --listen 127.0.0.1:26400 --messages 20000 --seed 7 --symbols 8 --duration 150 & } ; \
	  srv=$$! ; { target/release/tickwired --config examples/run.toml > build/run-summary.json & } ; d=$$! ; \
	  target/release/tickwire book --ring build/tickwire-ring0 --symbols AMD,NFLX,QCOM ; \
	  wait $$d ; kill $$srv ; wait ; \
	  python3 scripts/run_summary.py build/run-summary.json

# ---------------------------------------------------------------- generated files
gen regs: setup
	scripts/gen.sh

regs-check: setup
	scripts/regs-check.sh

# ---------------------------------------------------------------- RTL checks
lint: setup
	$(ENV) verilator --lint-only -Wall hdl/lint.vlt $$(scripts/rtl_files.sh) --top-module tw_core
	@echo "lint: verilator -Wall clean"

synth: setup
	scripts/synth.sh

# every clock-domain crossing of the synthesised core lands in an approved CDC primitive
# (its own Yosys run, ~2 min; cached in build/cdc/ while the RTL is unchanged)
cdc-audit: setup
	$(ENV) python3 scripts/cdc_audit.py

tb: setup
	$(ENV) pytest -q hdl/tb

# ---------------------------------------------------------------- software
test-rust: setup
	$(ENV) cargo test -q $(CARGO_FLAGS) --workspace

# cross-layer tests in Python (tests/): the CLI on captures built independently with scapy
test-py: setup
	$(ENV) cargo build -q $(CARGO_FLAGS) -p tickwired --bin tickwire
	$(ENV) pytest -q tests

# the VFIO backend on a real kernel: Debian's kernel under QEMU (TCG) with VT-d and edu (docs/vfio.md)
test-vfio: setup
	$(ENV) scripts/test-vfio.sh

clippy: setup
	$(ENV) cargo clippy -q $(CARGO_FLAGS) --workspace --all-targets -- -D warnings

# board shells, constraints and build recipes, checked without vendor tools (docs/hardware.md)
shells-check: setup
	$(ENV) scripts/shells-check.sh

# Vivado build (vivado on PATH): make bitstream BOARD=au250 [BUILD_ID=n]
BOARD ?= au250
bitstream:
	BUILD_ID="$(BUILD_ID)" bitstreams/build.sh "$(BOARD)"

# program the card's flash (or the FPGA over JTAG): make flash BOARD=au250 [MODE=flash|jtag] [HW_SERVER=host:port]
flash:
	MODE="$(MODE)" HW_SERVER="$(HW_SERVER)" bitstreams/flash.sh "$(BOARD)"

# synthesis and the CDC audit are two single-threaded Yosys runs: side by side on two cores
synth-checks: setup
	@mkdir -p build
	$(ENV) scripts/synth.sh > build/synth.out 2>&1 & s=$$! ; \
	  $(ENV) python3 scripts/cdc_audit.py > build/cdc-audit.out 2>&1 & c=$$! ; \
	  rs=0 ; wait $$s || rs=$$? ; rc=0 ; wait $$c || rc=$$? ; \
	  cat build/synth.out ; tail -n 3 build/cdc-audit.out ; \
	  if [ $$rc != 0 ] ; then tail -n 40 build/cdc-audit.out ; fi ; \
	  [ $$rs = 0 ] && [ $$rc = 0 ]

test: setup regs-check lint shells-check synth-checks tb test-rust test-py test-vfio clippy
	@echo "make test: all passed"

# differential fuzzing, card (RTL) against the reference model: make fuzz FRAMES=10000000 [SEED=1]
FRAMES ?= 1000000
fuzz: setup
	$(ENV) FRAMES=$(FRAMES) $(if $(SEED),SEED=$(SEED)) cargo run -q $(CARGO_FLAGS) -p tickwire --example fuzz

# ---------------------------------------------------------------- benchmarks (not tests)
# host CPU per tick on the card path vs per message on the kernel UDP path (docs/benchmarks.md)
bench-host: setup
	$(ENV) scripts/bench-host.sh

# L_msg, cycle-exact in simulation (docs/benchmarks.md): last line `L_msg: median <x> ns, max <y> ns`
bench-latency: setup
	$(ENV) cargo run -q $(CARGO_FLAGS) -p tickwire --example bench_latency

clean:
	rm -rf build target
