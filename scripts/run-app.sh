#!/usr/bin/env bash
# Build and start Kith.
#
#   bash scripts/run-app.sh [app arguments...]
#
# Installs what is missing, builds the UI into the app, loads the sample network into the
# store the first time (an existing store is left alone), then opens the window. Without
# a display it runs under a virtual one (xvfb-run) and says so.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$HOME/.cargo/bin:$PATH"

bash scripts/deps.sh
npm --prefix ui run build
cargo run -q -p kith-cli -- demo --if-empty
cargo build -p kith-app --features custom-protocol

if [[ -z "${DISPLAY:-}" && -z "${WAYLAND_DISPLAY:-}" ]]; then
    echo "No display (DISPLAY is unset): running the app under xvfb-run on a virtual screen."
    echo "Nothing will appear on a monitor; run this from a desktop session to see the window."
    exec xvfb-run -a -s "-screen 0 1280x800x24" \
        cargo run -q -p kith-app --features custom-protocol -- "$@"
fi
exec cargo run -q -p kith-app --features custom-protocol -- "$@"
