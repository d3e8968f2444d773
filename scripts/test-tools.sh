#!/usr/bin/env bash
# System tools some tests use (gettext's msgfmt, redis-server, docker-compose, Chromium), from Debian's packages.
# Installs what is missing when it can (root or sudo); the tests that need a tool skip with a clear
# message only if it truly cannot be had. CI (CI=true) must have them all.
set -u
need=()
command -v msgfmt >/dev/null 2>&1 || need+=(gettext)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v docker-compose >/dev/null 2>&1 || need+=(docker-compose)
[ -x /usr/bin/chromium ] || need+=(chromium)   # tests/test_web_browser.py (Debian's; never `playwright install`)
command -v npm >/dev/null 2>&1 || need+=(npm)  # axe-core for tests/test_web_a11y.py
axe() {  # axe-core from the npm registry, pinned in package.json/package-lock.json (never a CDN)
  local root; root="$(cd "$(dirname "$0")/.." && pwd)"
  [ -f "$root/node_modules/axe-core/axe.min.js" ] && return 0
  command -v npm >/dev/null 2>&1 || { echo "test-tools: no npm; the axe-core tests will skip"; return 0; }
  (cd "$root" && npm ci --no-audit --no-fund --silent) || echo "test-tools: npm ci failed; the axe-core tests will skip"
}
[ ${#need[@]} -eq 0 ] && { axe; exit 0; }
if [ "$(id -u)" = 0 ]; then sudo=""; elif command -v sudo >/dev/null 2>&1; then sudo="sudo -n"; else
  echo "test-tools: cannot install ${need[*]} (not root); tests that need them will skip"; exit 0; fi
echo "test-tools: installing ${need[*]}"
$sudo apt-get update -qq >/dev/null 2>&1 || true
if ! DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null 2>&1; then
  echo "test-tools: could not install ${need[*]}; tests that need them will skip"
  [ "${CI:-}" = "true" ] && exit 1
fi
axe
exit 0
