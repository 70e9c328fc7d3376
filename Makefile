# Thin wrapper: every target installs missing Debian packages first (cmake/install-deps.sh).
#   make run    release build, then `guestmem compare` on the embedded default scenario
#   make test   sanitizer (ASan+UBSan) debug build, then the whole suite through ctest
JOBS ?= $(shell nproc)
RELEASE := build/release
TEST := build/asan
CMAKE_FLAGS := $(if $(CI),-DGUESTMEM_WERROR=ON,)

.PHONY: deps build run test bench docs clean
deps:
	@bash cmake/install-deps.sh

build: deps
	cmake --preset release $(CMAKE_FLAGS) >/dev/null
	cmake --build $(RELEASE) -j $(JOBS) --target guestmem

run: build
	$(RELEASE)/sim/guestmem compare --out out

test: deps
	cmake --preset asan $(CMAKE_FLAGS) >/dev/null
	cmake --build $(TEST) -j $(JOBS)
	cd $(TEST) && ctest --output-on-failure -j $(JOBS)

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

clean:
	rm -rf build out
