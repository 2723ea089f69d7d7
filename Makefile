# Two entry points (see README.md):
#   make run    installs what is missing, builds, validates examples/acme
#   make test   installs what is missing, runs the whole suite (release + ASan/UBSan builds)
JOBS ?= $(shell nproc)

.PHONY: run test bootstrap release asan test-release test-asan format format-check clean

run: bootstrap release
	./build/release/bin/charter validate examples/acme

test: bootstrap test-release test-asan

bootstrap:
	scripts/bootstrap

release:
	cmake --preset release >/dev/null
	cmake --build --preset release -j $(JOBS)

asan:
	cmake --preset asan >/dev/null
	cmake --build --preset asan -j $(JOBS)

test-release: release
	ctest --preset release -j $(JOBS)

# The package test installs and builds a consumer: once, in the release build, is enough.
test-asan: asan
	ctest --preset asan -j $(JOBS) -LE package

format:
	clang-format -i $$(git ls-files '*.cpp' '*.hpp')

format-check:
	clang-format --dry-run -Werror $$(git ls-files '*.cpp' '*.hpp')

clean:
	rm -rf build
