#!/usr/bin/env bash
# Render every app icon Tauri bundles from the one source, icons/icon.svg.
#
# The rendered files are committed (the build must not need these tools), so
# run this only after changing the SVG, then look at the PNGs before committing.
# Tools: rsvg-convert (librsvg2-bin) draws the SVG, ImageMagick packs the .ico,
# png2icns (icnsutils) packs the .icns.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ICONS="$ROOT/icons"
SVG="$ICONS/icon.svg"

need=()
for pkg in librsvg2-bin imagemagick icnsutils; do
    [[ "$(dpkg-query -W -f='${db:Status-Abbrev}' "$pkg" 2>/dev/null)" == ii* ]] || need+=("$pkg")
done
if ((${#need[@]})); then
    echo "[icons] installing ${need[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

render() { # size output
    rsvg-convert --width "$1" --height "$1" --format png "$SVG" --output "$2"
}

# The files tauri.conf.json lists. PNG32: forces 8-bit RGBA, which Tauri requires.
for size in 16 24 32 48 64 128 256 512 1024; do
    render "$size" "$work/$size.png"
done
convert "$work/32.png" "PNG32:$ICONS/32x32.png"
convert "$work/128.png" "PNG32:$ICONS/128x128.png"
convert "$work/256.png" "PNG32:$ICONS/128x128@2x.png"
convert "$work/512.png" "PNG32:$ICONS/icon.png"

# Windows: one .ico holding every size the shell asks for.
convert "$work/16.png" "$work/24.png" "$work/32.png" "$work/48.png" \
    "$work/64.png" "$work/256.png" "$ICONS/icon.ico"

# macOS: png2icns picks the icon type from each PNG's size.
png2icns "$ICONS/icon.icns" "$work/16.png" "$work/32.png" "$work/48.png" \
    "$work/128.png" "$work/256.png" "$work/512.png" "$work/1024.png" >/dev/null

echo "[icons] wrote:"
(cd "$ICONS" && identify -format '  %f %wx%h %[channels]\n' 32x32.png 128x128.png 128x128@2x.png icon.png icon.ico && file icon.icns | sed 's/^/  /')
