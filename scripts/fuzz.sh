#!/usr/bin/env bash
# Fuzz every importer and format detection with libFuzzer (cargo fuzz), each for a fixed time.
#
#   bash scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]   (default: 20 s, every target)
#
# A target fails on a panic, on an input that takes more than 5 s, on more than 1 GB of
# memory, or on a broken promise checked in fuzz/src/lib.rs (an error that does not name the
# file, a database error, a preview that changed the store). The input that failed is saved
# under fuzz/artifacts/<target>/; replay it with
#   fuzz/target/x86_64-unknown-linux-gnu/release/<target> fuzz/artifacts/<target>/<file>
#
# The seeds in fuzz/corpus/<target>/ are kept in git; what a run discovers goes to
# fuzz/target/corpus/<target>/ (not in git), so later runs start from there.
#
# The targets build without a sanitizer (-s none): Kith forbids unsafe code, so there is no
# memory error for AddressSanitizer to find, and the build is faster without it. They build
# with -O so that fuzz/Cargo.toml's profile decides which crates keep debug assertions.
# cargo fuzz needs nightly compiler flags; RUSTC_BOOTSTRAP=1 allows them on stable.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$HOME/.cargo/bin:$PATH"
export RUSTC_BOOTSTRAP=1

per_target="${1:-20}"
shift || true
if ! [[ "$per_target" =~ ^[0-9]+$ ]] || ((per_target < 1)); then
    echo "fuzz.sh: SECONDS_PER_TARGET must be a whole number of seconds, not '$per_target'" >&2
    exit 2
fi
ALL=(twitter mastodon vcard linkedin google kith_csv markdown mbox eml bluesky archive detect amplify)
targets=("$@")
((${#targets[@]})) || targets=("${ALL[@]}")

if ! command -v cargo-fuzz >/dev/null 2>&1; then
    echo "fuzz.sh: cargo-fuzz is not installed; run bash scripts/deps.sh" >&2
    exit 1
fi

cd "$ROOT/fuzz"
# 16 codegen units instead of cargo fuzz's 1: a much quicker build on a small machine, for
# slightly slower targets.
cargo fuzz build -O -s none --codegen-units 16

BIN="$ROOT/fuzz/target/x86_64-unknown-linux-gnu/release"
# The targets write their input to a file under TMPDIR; keep those files in one place.
scratch="$(mktemp -d -t kith-fuzz.XXXXXX)"
trap 'rm -rf "$scratch"' EXIT

failed=()
for t in "${targets[@]}"; do
    if [[ ! -x "$BIN/$t" ]]; then
        echo "fuzz.sh: no fuzz target '$t' (known: ${ALL[*]})" >&2
        exit 2
    fi
    work="$ROOT/fuzz/target/corpus/$t"
    artifacts="$ROOT/fuzz/artifacts/$t"
    mkdir -p "$work" "$artifacts"
    echo "==== fuzz $t for ${per_target}s"
    log="$scratch/$t.log"
    if TMPDIR="$scratch" "$BIN/$t" "$work" "$ROOT/fuzz/corpus/$t" \
        -max_total_time="$per_target" -timeout=5 -rss_limit_mb=1024 -malloc_limit_mb=1024 \
        -max_len=65536 -artifact_prefix="$artifacts/" -print_final_stats=1 >"$log" 2>&1; then
        grep -E '^(stat::number_of_executed_units|stat::average_exec_per_sec|stat::peak_rss_mb)' "$log" |
            sed 's/^stat::/    /' || true
        grep -E '^#[0-9]+ +DONE' "$log" | sed 's/^/    /' || true
    else
        failed+=("$t")
        tail -n 60 "$log"
    fi
done

if ((${#failed[@]})); then
    echo "fuzz.sh: failing inputs found for: ${failed[*]} (see fuzz/artifacts/)" >&2
    exit 1
fi
echo "fuzz.sh: ${#targets[@]} targets, ${per_target}s each, no failures"
