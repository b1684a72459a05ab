#!/usr/bin/env bash
# Install everything Kith needs to build, run and test on Debian 12, as root.
#
# Idempotent and quick on a machine that already has it all: every step checks
# first and only reaches for a package registry when something is missing.
#   - Debian packages: the WebKitGTK/GTK stack Tauri links against, Xvfb and
#     WebKitWebDriver for the window tests, Chromium for the browser tests,
#     ImageMagick/xdotool for screenshots.
#   - ui/node_modules via `npm ci`, redone only when ui/package-lock.json changes.
#   - tests/atproto/node_modules (the private AT Protocol network the Bluesky tests start)
#     via `npm ci`, likewise; the first install builds SQLite from source (minutes).
#   - tauri-driver (WebDriver bridge to the real window) via cargo.
#   - cargo-fuzz (runs the importers' fuzz targets) via cargo.
#   - Python modules used by the export checks in tests/python.
#   - Radicale, the CardDAV/CalDAV server the address-book and calendar tests start.
#   - rustfmt and clippy.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$HOME/.cargo/bin:$PATH"
export DEBIAN_FRONTEND=noninteractive

log() { printf '[deps] %s\n' "$*"; }

as_root() {
    if [[ $(id -u) -eq 0 ]]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        echo "[deps] need root to run: $*" >&2
        exit 1
    fi
}

# --- Debian packages ---------------------------------------------------------
APT_PACKAGES=(
    # Tauri v2 build and runtime
    libwebkit2gtk-4.1-dev libgtk-3-dev librsvg2-dev libayatana-appindicator3-dev
    libsoup-3.0-dev libxdo-dev libssl-dev file pkg-config build-essential
    # headless display and the WebDriver for the real window
    xvfb xauth webkit2gtk-driver
    # screenshots, window poking, browser tests of the built UI
    imagemagick xdotool chromium
    # fonts so screenshots show text, not boxes
    fonts-dejavu-core poppler-utils
    # IMAP server the mail sync tests start privately on loopback (never as a service)
    dovecot-imapd openssl
    # the system secret store (Secret Service over D-Bus) that keeps account passwords
    libdbus-1-dev
)

is_installed() {
    [[ "$(dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null)" == ii* ]]
}

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
    is_installed "$pkg" || missing+=("$pkg")
done
if ((${#missing[@]})); then
    log "installing Debian packages: ${missing[*]}"
    as_root apt-get update -qq
    as_root apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
    log "Debian packages: all present"
fi

# --- Rust components ---------------------------------------------------------
for component in rustfmt clippy; do
    if ! rustup component list --installed 2>/dev/null | grep -q "^${component}"; then
        log "adding rustup component $component"
        rustup component add "$component"
    fi
done

# --- Cargo tools, built while the Node modules install ------------------------------
# tauri-driver (the WebDriver bridge to the real window) and cargo-fuzz (builds and runs the
# importers' fuzz targets, scripts/fuzz.sh) compile from crates.io. On a fresh machine that
# takes minutes of processor time while `npm ci` below mostly waits on the network, so they
# build in the background meanwhile; their output is shown when they are done.
cargo_tools() {
    if ! command -v tauri-driver >/dev/null 2>&1; then
        log "installing tauri-driver"
        cargo install tauri-driver --version '^2' --locked
    else
        log "tauri-driver: $(command -v tauri-driver)"
    fi
    if ! command -v cargo-fuzz >/dev/null 2>&1; then
        log "installing cargo-fuzz"
        cargo install cargo-fuzz --version '^0.13' --locked
    else
        log "cargo-fuzz: $(command -v cargo-fuzz)"
    fi
}
tools_log="$(mktemp -t kith-deps-cargo.XXXXXX)"
cargo_tools >"$tools_log" 2>&1 &
tools_pid=$!
# Stop the background build if this script fails before waiting for it.
trap 'kill "$tools_pid" 2>/dev/null || true; rm -f "$tools_log"' EXIT

# --- UI dependencies ---------------------------------------------------------
# npm ci wipes and reinstalls node_modules; skip it when the lock file is the
# one the current node_modules was installed from.
UI="$ROOT/ui"
if [[ -f "$UI/package-lock.json" ]]; then
    stamp="$UI/node_modules/.kith-deps-stamp"
    want="$(sha256sum "$UI/package-lock.json" | cut -d' ' -f1) node-$(node --version)"
    if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
        log "ui/node_modules: up to date"
    else
        log "ui: npm ci"
        (cd "$UI" && npm ci --no-audit --no-fund)
        printf '%s' "$want" >"$stamp"
    fi
elif [[ -f "$UI/package.json" ]]; then
    echo "[deps] ui/package.json has no package-lock.json beside it; run 'npm install' in ui/ and commit the lock file" >&2
    exit 1
fi

# --- The AT Protocol test network ------------------------------------------------
# The reference PLC directory and PDS (@atproto/dev-env, pinned), which the Bluesky sync
# tests start on loopback. Installed only when missing or when its lock file changed.
ATPROTO="$ROOT/tests/atproto"
if [[ -f "$ATPROTO/package-lock.json" ]]; then
    stamp="$ATPROTO/node_modules/.kith-deps-stamp"
    want="$(sha256sum "$ATPROTO/package-lock.json" | cut -d' ' -f1) node-$(node --version)"
    if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
        log "tests/atproto/node_modules: up to date"
    else
        log "tests/atproto: npm ci (the first time builds better-sqlite3 from source)"
        (cd "$ATPROTO" && npm ci --no-audit --no-fund)
        printf '%s' "$want" >"$stamp"
    fi
fi

# --- The cargo tools started above -------------------------------------------------
if wait "$tools_pid"; then
    cat "$tools_log"
else
    cat "$tools_log" >&2
    echo "[deps] building the cargo tools failed (see above)" >&2
    exit 1
fi
trap - EXIT
rm -f "$tools_log"

# --- Python modules for the export checks --------------------------------------
if ! python3 -m pip --version >/dev/null 2>&1; then
    log "installing pip"
    as_root apt-get update -qq
    as_root apt-get install -y -qq --no-install-recommends python3-pip
fi
if ! python3 -c 'import vobject, icalendar, frontmatter, pytest' >/dev/null 2>&1; then
    log "installing Python packages: vobject icalendar python-frontmatter pytest"
    # Debian's own python3 is "externally managed"; these are test-only
    # modules, so installing them beside it is acceptable on a build machine.
    PIP_BREAK_SYSTEM_PACKAGES=1 python3 -m pip install --quiet \
        vobject icalendar python-frontmatter pytest
else
    log "Python packages: all present"
fi

# --- Radicale ---------------------------------------------------------------------
# The CardDAV/CalDAV server the address-book and calendar sync tests start privately on
# loopback (never as a service). Pinned: the tests rely on its sync-collection support and
# on where it keeps each item on disk.
RADICALE_VERSION=3.9.0
if [[ "$(python3 -c 'import radicale; print(radicale.VERSION)' 2>/dev/null)" == "$RADICALE_VERSION" ]] \
    && command -v radicale >/dev/null 2>&1; then
    log "Radicale $RADICALE_VERSION: present"
else
    log "installing Radicale $RADICALE_VERSION"
    PIP_BREAK_SYSTEM_PACKAGES=1 python3 -m pip install --quiet "radicale==$RADICALE_VERSION"
fi

log "done"
