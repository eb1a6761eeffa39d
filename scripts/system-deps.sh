#!/usr/bin/env bash
# Installs the Debian packages congso needs when they are missing:
#   chromium          browser tests (Playwright drives Debian's chromium, never a downloaded one)
#   fonts-liberation2 Liberation Serif 2.x, metric-compatible with Times New Roman, for PDF
#                     slips (1.x lacks Vietnamese letters with two diacritics: ộ, ự, ẩ …)
#   softhsm2          a PKCS#11 token in software: the signing tests sign through it
#   libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0  WeasyPrint (PDF slips and reports)
#   fonts-dejavu-core fallback fonts with full Vietnamese coverage
#   wrk               HTTP load generator for the lookup benchmark (CONGSO_NEED_BENCH=1, make bench)
# It uses apt-get directly as root, or sudo otherwise.
set -euo pipefail

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
[ -e /usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf ] || need+=(fonts-liberation2)
ldconfig -p | grep -q libpangoft2-1.0.so.0 || need+=(libpango-1.0-0 libpangoft2-1.0-0)
ldconfig -p | grep -q libharfbuzz-subset.so.0 || need+=(libharfbuzz-subset0)
command -v softhsm2-util >/dev/null 2>&1 || need+=(softhsm2)
command -v npm >/dev/null 2>&1 || need+=(npm)
command -v tesseract >/dev/null 2>&1 || need+=(tesseract-ocr)
[ -e /usr/share/tesseract-ocr/5/tessdata/vie.traineddata ] || need+=(tesseract-ocr-vie)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
# The production-mode tests (make test-postgres) talk to real brokers.
if [ "${CONGSO_NEED_BROKERS:-}" = "1" ]; then
  command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
  command -v rabbitmq-server >/dev/null 2>&1 || need+=(rabbitmq-server)
fi
# The benchmarks (make bench) drive a running server with wrk (a Python client otherwise, which
# competes with the server for the CPU and inflates the latency it measures).
if [ "${CONGSO_NEED_BENCH:-}" = "1" ]; then
  command -v wrk >/dev/null 2>&1 || need+=(wrk)
fi
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
