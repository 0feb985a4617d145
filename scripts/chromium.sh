#!/usr/bin/env bash
# Chromium for the console's browser tests (test/integration/console-ui.test.ts drives it with playwright-core).
# Usage: scripts/chromium.sh ensure   — installs Debian's `chromium` package (apt) if /usr/bin/chromium is missing.
# Never downloads a browser of its own (no `npx playwright install`).
set -euo pipefail

CHROMIUM="${LENDGUARD_CHROMIUM:-/usr/bin/chromium}"
log() { printf '[chromium] %s\n' "$*" >&2; }
die() { printf '[chromium] ERROR: %s\n' "$*" >&2; exit 1; }

ensure() {
  [[ -x "$CHROMIUM" ]] && return 0
  command -v apt-get >/dev/null 2>&1 || die "$CHROMIUM missing and apt-get unavailable: install Chromium or set LENDGUARD_CHROMIUM"
  local SUDO=""
  [[ "$(id -u)" -eq 0 ]] || SUDO="sudo -n"
  log "installing chromium via apt-get"
  if ! DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q chromium >&2; then
    log "apt-get install failed; running apt-get update first"
    $SUDO apt-get update -q >&2
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q chromium >&2
  fi
  [[ -x "$CHROMIUM" ]] || die "chromium installed but $CHROMIUM is missing"
}

case "${1:-}" in
  ensure) ensure ;;
  *) echo "usage: $0 ensure" >&2; exit 2 ;;
esac
