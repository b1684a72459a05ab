#!/usr/bin/env bash
# Measure every performance figure Kith is held to and print them as one table.
#
#   bash scripts/bench.sh            # the busy network: 5,000 contacts, 250,000 interactions
#   bash scripts/bench.sh --stress   # also the stress network, ten times larger, and how
#                                    # each figure grows (takes several times longer)
#
# Builds kith-bench in release and runs it; progress goes to stderr, the Markdown table to
# stdout (README.md's Performance section is a copy of it). Any other arguments are passed
# to kith-bench (`--dir PATH` puts its temporary stores somewhere else). The machine should
# be otherwise idle: every figure is a wall-clock time.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$HOME/.cargo/bin:$PATH"

cargo build --release -p kith-bench >&2
echo "kith-bench at $(git rev-parse --short HEAD 2>/dev/null || echo 'an unknown commit'), $(date -u +%Y-%m-%d)" >&2
exec "$ROOT/target/release/kith-bench" "$@"
