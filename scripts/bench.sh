#!/usr/bin/env bash
# Measure every performance figure Kith is held to and print them as one table.
#
#   bash scripts/bench.sh            # the busy network: 5,000 contacts, 250,000 interactions
#   bash scripts/bench.sh --stress   # also the stress network, ten times larger, and how
#                                    # each figure grows (takes several times longer)
#   bash scripts/bench.sh --app      # instead, the figures of the real app's window: cold
#                                    # start, search through IPC, memory, scrolling (about
#                                    # 5 minutes plus the release build); with --stress it
#                                    # also scrolls the stress network (3 minutes more to
#                                    # generate it)
#
# Builds kith-bench in release and runs it; progress goes to stderr, the Markdown table to
# stdout (README.md's Performance section is a copy of it). Any other arguments are passed
# to kith-bench (`--dir PATH` puts its temporary stores somewhere else). The machine should
# be otherwise idle: every figure is a wall-clock time.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$HOME/.cargo/bin:$PATH"

app=0
args=()
for arg in "$@"; do
    if [ "$arg" = "--app" ]; then app=1; else args+=("$arg"); fi
done

if [ "$app" = 1 ]; then
    # The app as users get it: release, the UI bundled in; the hello-world window beside it
    # (the same dependencies, so it costs only a link); the CLI to generate the stores; the
    # WebDriver side (tests/e2e/src/bin/app-bench.rs) needs no optimising.
    stress=0
    for arg in "${args[@]}"; do
        case "$arg" in
            --stress) stress=1 ;;
            *) echo "bench.sh --app: unknown argument $arg" >&2; exit 2 ;;
        esac
    done
    npm --prefix ui run build >&2
    cargo build --release -p kith-app --features custom-protocol --bin kith-app --example hello >&2
    cargo build --release -p kith-cli --bin kith >&2
    cargo build -p kith-e2e --bin app-bench >&2
    command -v tauri-driver >/dev/null || [ -x "$HOME/.cargo/bin/tauri-driver" ] || {
        echo "bench.sh --app: tauri-driver is missing; run bash scripts/deps.sh" >&2
        exit 1
    }
    work="$(mktemp -d "${TMPDIR:-/tmp}/kith-app-bench.XXXXXX")"
    trap 'rm -rf "$work"' EXIT
    echo "generating the busy network" >&2
    target/release/kith --db "$work/busy.sqlite3" demo --size busy >&2
    bench=(target/debug/app-bench --app target/release/kith-app
           --hello target/release/examples/hello --busy "$work/busy.sqlite3")
    if [ "$stress" = 1 ]; then
        echo "generating the stress network" >&2
        target/release/kith --db "$work/stress.sqlite3" demo --size stress >&2
        bench+=(--stress "$work/stress.sqlite3")
    fi
    echo "app-bench at $(git rev-parse --short HEAD 2>/dev/null || echo 'an unknown commit'), $(date -u +%Y-%m-%d)" >&2
    if [ -z "${DISPLAY:-}" ]; then
        # The window needs an X display; without one, a virtual one (software rendering).
        xvfb-run -a -s "-screen 0 1280x800x24" "${bench[@]}"
    else
        "${bench[@]}"
    fi
    exit
fi

cargo build --release -p kith-bench >&2
echo "kith-bench at $(git rev-parse --short HEAD 2>/dev/null || echo 'an unknown commit'), $(date -u +%Y-%m-%d)" >&2
exec "$ROOT/target/release/kith-bench" "${args[@]}"
