#!/usr/bin/env bash
# Installs the Debian packages congso needs when they are missing:
#   chromium          browser tests (Playwright drives Debian's chromium, never a downloaded one)
#   fonts-liberation  Liberation Serif, metric-compatible with Times New Roman, for PDF slips
#   fonts-dejavu-core fallback fonts with full Vietnamese coverage
# It uses apt-get directly as root, or sudo otherwise.
set -euo pipefail

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
[ -e /usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf ] || need+=(fonts-liberation)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)

if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1; then
  SUDO="sudo"
else
  echo "congso needs these Debian packages: ${need[*]}" >&2
  echo "Run as root: apt-get install -y ${need[*]}" >&2
  exit 1
fi

echo "Installing Debian packages: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
