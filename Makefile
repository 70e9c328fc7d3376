# Thin wrapper: every target installs missing Debian packages first (cmake/install-deps.sh).
#   make run    release build, then `guestmem compare` on the embedded default scenario
#   make test   debug build with ASan + UBSan (halt_on_error) and invariants after every operation, then the
#               whole suite through ctest (SimGrid's thread contexts in that build: docs/reliability.md)
#   make test-ubsan  the same suite under UBSan only (SimGrid's fast contexts; quicker to iterate)
#   make fuzz   libFuzzer targets (clang++), each run FUZZ_SECONDS; findings stay in tests/fuzz/corpus/
#   make soak   every scenario (scenarios/, lab/scenarios/) x SOAK_SEEDS seeds in the sanitizer build
JOBS ?= $(shell nproc)
RELEASE := build/release
TEST := build/asan
UBSAN := build/ubsan
SAN_ENV := UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 ASAN_OPTIONS=detect_leaks=1:halt_on_error=1
CMAKE_FLAGS := $(if $(CI),-DGUESTMEM_WERROR=ON,)

.PHONY: deps deps-run build run test test-ubsan bench docs clean fuzz soak
deps:
	@bash cmake/install-deps.sh

# `make run` installs only what it builds and runs (packages marked `run` in cmake/debian-packages.txt).
deps-run:
	@bash cmake/install-deps.sh run

build: deps-run
	cmake --preset release $(CMAKE_FLAGS) >/dev/null
	cmake --build $(RELEASE) -j $(JOBS) --target guestmem

run: build
	$(RELEASE)/sim/guestmem compare --out out

test: deps
	cmake --preset asan $(CMAKE_FLAGS) >/dev/null
	cmake --build $(TEST) -j $(JOBS)
	cd $(TEST) && $(SAN_ENV) ctest --output-on-failure -j $(JOBS) --timeout 600

test-ubsan: deps
	cmake --preset ubsan $(CMAKE_FLAGS) >/dev/null
	cmake --build $(UBSAN) -j $(JOBS)
	cd $(UBSAN) && UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 ctest --output-on-failure -j $(JOBS)

bench: deps
	cmake --preset release $(CMAKE_FLAGS) >/dev/null
	cmake --build $(RELEASE) -j $(JOBS) --target benches
	@for b in $(RELEASE)/bench/*_bench; do echo "== $$b"; $$b || exit 1; done

# Regenerates docs/scenario-format.md and scenarios/scenario.schema.json from the parameter table
# (a test fails when the checked-in copies are stale).
docs: deps
	cmake --preset release $(CMAKE_FLAGS) >/dev/null
	cmake --build $(RELEASE) -j $(JOBS) --target gen_scenario_docs
	$(RELEASE)/sim/gen_scenario_docs .

# Fuzzing: clang++ with libFuzzer + ASan + UBSan in its own build dir; one target at a time, one process
# each (the machine is shared). Inputs that raise coverage go to $(FUZZ)/corpus/<t> (not committed);
# crashes, timeouts and out-of-memory inputs are written into tests/fuzz/corpus/<t>/, where the replay
# test of `make test` fails on them until the parser is fixed.
FUZZ := build/fuzz
FUZZ_SECONDS ?= 600
FUZZ_TARGETS ?= e820 iomem buddyinfo kconfig scenario cost trace
# FUZZ_RUNS=N also stops each target after N inputs (libFuzzer -runs), whichever comes first.
FUZZ_RUNS ?= -1
fuzz: deps
	@command -v clang++ >/dev/null || { echo "make fuzz needs clang++ and libFuzzer:" \
	  "apt-get install -y clang libclang-rt-dev (Debian 12: libclang-rt-14-dev)" >&2; exit 3; }
	cmake -S . -B $(FUZZ) -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=Debug -DGUESTMEM_SANITIZE=ON \
	  -DGUESTMEM_FUZZ=ON "-DCMAKE_CXX_FLAGS=-fsanitize=fuzzer-no-link -O1" >/dev/null
	cmake --build $(FUZZ) -j $(JOBS) --target fuzzers
	@for t in $(FUZZ_TARGETS); do echo "== fuzz $$t ($(FUZZ_SECONDS) s)"; mkdir -p $(FUZZ)/corpus/$$t; \
	  UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 ASAN_OPTIONS=detect_leaks=1 \
	  $(FUZZ)/tests/fuzz/$${t}_fuzz -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 \
	    -runs=$(FUZZ_RUNS) -print_final_stats=1 -artifact_prefix=tests/fuzz/corpus/$$t/ $(FUZZ)/corpus/$$t tests/fuzz/corpus/$$t \
	    || exit 1; done

# Soak: every scenario of scenarios/ and lab/scenarios/ (tests/soak.sh says which files and how each is
# judged) with SOAK_SEEDS seeds through the sanitizer build; prints a line per failing run and fails if
# there was one.
SOAK_SEEDS ?= 3
soak: deps
	cmake --preset asan $(CMAKE_FLAGS) >/dev/null
	cmake --build $(TEST) -j $(JOBS) --target guestmem
	@$(SAN_ENV) SOAK_SEEDS=$(SOAK_SEEDS) GUESTMEM=$(TEST)/sim/guestmem bash tests/soak.sh

clean:
	rm -rf build out

# Real Xen + Linux under QEMU (TCG): boots the configurations of lab/configs one at a time, runs the
# experiments, refreshes tests/data/lab/ and fails when the model disagrees beyond docs/lab.md's list.
.PHONY: lab
lab: deps
	bash lab/run.sh

# The Kconfig oracle (not part of `make test`): guestmem's Kconfig evaluator against the kernel's own
# scripts/kconfig of Debian's linux-source-6.1 and -6.12, on >= 2,000 configurations per kernel and arch.
# Fetches into and builds in build/kconfig-oracle; UPDATE=1 refreshes tests/data/kconfig/ (docs/kconfig.md).
.PHONY: kconfig-oracle
kconfig-oracle: deps
	cmake --preset asan $(CMAKE_FLAGS) >/dev/null
	cmake --build $(TEST) -j $(JOBS) --target kconfig_oracle_replay_test
	bash tests/kconfig_oracle/run.sh

# The sweep on real engines (tests/sweep_engines.sh): one small sweep run locally, under GNU parallel and as a
# Slurm array on a single-node cluster started here (needs root), collect gives identical sweep.csv. Installs
# parallel, slurm-wlm and munge (cmake/debian-packages-engines.txt). SWEEP=file picks another sweep.
.PHONY: sweep-engines
sweep-engines: deps
	@bash cmake/install-deps.sh cmake/debian-packages-engines.txt
	cmake --preset asan $(CMAKE_FLAGS) >/dev/null
	cmake --build $(TEST) -j $(JOBS) --target guestmem
	$(SAN_ENV) GUESTMEM=$(TEST)/sim/guestmem timeout --kill-after=30 600 bash tests/sweep_engines.sh
