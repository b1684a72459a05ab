#!/usr/bin/env bash
# Run every check Kith has, in order, stopping at the first failure.
#
#   bash scripts/test.sh
#
# Steps: dependencies, Rust formatting, the UI (build, type check, unit tests, browser
# tests against a fake backend), the Rust build with clippy's lints, the Rust tests
# (which include the check that ui/src/bindings.ts matches the Rust types), a short
# fuzzing run of the importers, the app binary, the window tests over WebDriver, and the
# Python checks of the export files.
# Prints a banner per step and a timing summary at the end, also when a step fails.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$HOME/.cargo/bin:$PATH"
# Tests that start real servers (Dovecot for IMAP) fail instead of skipping when one is missing.
export KITH_REQUIRE_SERVERS=1
# Each crate is compiled for these checks and not edited between them: incremental state would
# only cost time and a few gigabytes of disk.
export CARGO_INCREMENTAL=0

# Every cargo step builds the app with the UI bundled in. The test and build steps also
# select the same packages and targets (the workspace minus the window tests, with test
# targets), so cargo resolves the same features for both and the build step reuses what
# the tests compiled instead of compiling tauri and most of its dependencies again.
APP_FEATURES=(--features kith-app/custom-protocol)
RUST_PACKAGES=(--workspace --exclude kith-e2e)

# linted CARGO_ARGS...: run cargo with clippy as the compiler of the workspace's own crates
# (what `cargo clippy` does), its lints and the compiler's warnings denied. The lint step
# therefore builds the very artifacts the tests, the app and the window tests run, instead
# of a separate `cargo clippy` pass that type-checks every dependency a second time.
linted() {
    RUSTC_WORKSPACE_WRAPPER="$(rustup which clippy-driver)" \
        CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__" \
        cargo "$@"
}

lint_and_build() {
    linted test "${RUST_PACKAGES[@]}" "${APP_FEATURES[@]}" --all-targets --no-run
    linted test -p kith-e2e --all-targets --no-run
}

names=()
times=()
results=()
started=$SECONDS

summary() {
    echo
    echo "==================== summary ===================="
    local i
    for i in "${!names[@]}"; do
        printf '  %-8s %5ss  %s\n' "${results[$i]}" "${times[$i]}" "${names[$i]}"
    done
    printf '  %-8s %5ss\n' "total" "$((SECONDS - started))"
}

# step NAME COMMAND...: run COMMAND in a subshell with errexit in force (it would be
# ignored if the command ran as an `if` condition), record its time, stop on failure.
step() {
    local name="$1"
    shift
    echo
    echo "==================== ${name} ===================="
    local t0=$SECONDS rc=0
    set +e
    (
        set -e
        "$@"
    )
    rc=$?
    set -e
    names+=("$name")
    times+=("$((SECONDS - t0))")
    if ((rc != 0)); then
        results+=("FAILED")
        echo
        echo "!!!!!!!!!!!!!!!!!!!! FAILED: ${name} (exit ${rc}) !!!!!!!!!!!!!!!!!!!!"
        summary
        exit "$rc"
    fi
    results+=("ok")
}

has_npm_script() {
    node -e 'process.exit(require(process.argv[1]).scripts?.[process.argv[2]] ? 0 : 1)' \
        "$ROOT/ui/package.json" "$1"
}

ui_typecheck() {
    if has_npm_script typecheck; then
        npm --prefix ui run typecheck
    else
        echo "ui/package.json has no typecheck script; skipped"
    fi
}

python_checks() {
    shopt -s nullglob
    local tests=(tests/python/test_*.py tests/python/*_test.py)
    if ((${#tests[@]} == 0)); then
        echo "no tests in tests/python; skipped"
        return 0
    fi
    python3 -m pytest tests/python
}

step "dependencies" bash scripts/deps.sh
step "rust: formatting" cargo fmt --all -- --check
step "ui: build" npm --prefix ui run build
step "ui: type check" ui_typecheck
step "ui: unit tests" npm --prefix ui test
step "ui: browser tests (fake backend)" npm --prefix ui run test:browser
step "rust: build, with clippy's lints and warnings as errors" lint_and_build
step "rust: tests (with the bindings drift check)" \
    linted test "${RUST_PACKAGES[@]}" "${APP_FEATURES[@]}"
step "fuzz: every importer and format detection, 10 s each" bash scripts/fuzz.sh 10
step "app: build with the bundled UI (target/debug/kith-app)" \
    linted build "${RUST_PACKAGES[@]}" "${APP_FEATURES[@]}" --bins --tests
step "app: window tests (WebDriver)" linted test -p kith-e2e -- --test-threads=1
step "exports: Python checks" python_checks

summary
echo "all checks passed"
