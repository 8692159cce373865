#!/usr/bin/env bash
# The whole test suite, as the README and .ci/run give it. The browser tests (tests/browser.rs) need headless
# Chromium: when none is on PATH this installs Debian's `chromium` package first (as root, or through sudo).
set -euo pipefail
cd "$(dirname "$0")/.."

have_browser() {
    [[ -n "${SEAMLINE_CHROMIUM:-}" ]] || command -v chromium >/dev/null || command -v chromium-browser >/dev/null \
        || command -v google-chrome >/dev/null || command -v google-chrome-stable >/dev/null
}

if ! have_browser; then
    echo "scripts/test.sh: installing chromium for the browser tests" >&2
    sudo=""
    if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi

cargo test --all-targets "$@"
