#!/usr/bin/env bash
# Installs what the end-to-end tests need: Debian's chromium and ripgrep, the build dependencies of
# code-server's native modules, and code-server itself into a cache folder the e2e harness owns
# (never into the project's node_modules). Idempotent: skips what is already in place.
#
# Usage: scripts/e2e/install-code-server.sh
# Env:   FINETUNE_E2E_CACHE  cache folder (default ${XDG_CACHE_HOME:-$HOME/.cache}/finetune-guide-e2e)
set -euo pipefail

CODE_SERVER_VERSION=4.100.3
# code-server 4.100.3 depends on @vscode/ripgrep 1.15.11, which fetches this exact rg release.
RIPGREP_PKG_VERSION=1.15.11
RIPGREP_ASSET=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz

CACHE_DIR="${FINETUNE_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/finetune-guide-e2e}"
PREFIX="$CACHE_DIR/code-server-$CODE_SERVER_VERSION"
BIN="$PREFIX/node_modules/.bin/code-server"

log() { printf '[e2e-install] %s\n' "$*"; }

install_apt_packages() {
  local wanted=(chromium ripgrep pkg-config libkrb5-dev libxkbfile-dev libsecret-1-dev build-essential python3)
  local missing=()
  for pkg in "${wanted[@]}"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  if [ "${#missing[@]}" -eq 0 ]; then
    log "apt packages present"
    return
  fi
  log "installing apt packages: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# @vscode/ripgrep's postinstall downloads rg from GitHub, which is unreachable here; it first looks
# in $TMPDIR/vscode-ripgrep-cache-<version>/ for the asset, so we put Debian's rg there.
prepare_ripgrep_cache() {
  local tmp="${TMPDIR:-/tmp}"
  local dir="$tmp/vscode-ripgrep-cache-$RIPGREP_PKG_VERSION"
  local tarball="$dir/$RIPGREP_ASSET"
  if [ -s "$tarball" ]; then
    log "ripgrep cache present: $tarball"
    return
  fi
  local rg
  rg="$(command -v rg || true)"
  if [ -z "$rg" ]; then
    echo "ripgrep (rg) not found; install Debian's ripgrep package" >&2
    exit 1
  fi
  mkdir -p "$dir"
  local stage
  stage="$(mktemp -d)"
  cp "$rg" "$stage/rg"
  chmod 755 "$stage/rg"
  tar -czf "$tarball.partial" -C "$stage" rg
  mv "$tarball.partial" "$tarball"
  rm -rf "$stage"
  log "built ripgrep cache from $rg: $tarball"
}

installed_version() {
  [ -x "$BIN" ] || return 0
  # The first run may print a log line (config file written) before the version line.
  "$BIN" --version 2>/dev/null | grep -Eo '^[0-9]+\.[0-9]+\.[0-9]+' | head -n 1 || true
}

install_code_server() {
  if [ "$(installed_version)" = "$CODE_SERVER_VERSION" ]; then
    log "code-server $CODE_SERVER_VERSION already installed: $BIN"
    return
  fi
  log "installing code-server $CODE_SERVER_VERSION into $PREFIX (takes a few minutes)"
  rm -rf "$PREFIX"
  mkdir -p "$PREFIX"
  # A plain local install in its own folder, not `npm install -g`: code-server's postinstall runs
  # `npm install` inside lib/vscode and would inherit npm_config_global/prefix, turning that into a
  # second global install of itself (fails with ENOTEMPTY).
  printf '{ "name": "finetune-guide-e2e-code-server", "private": true }\n' > "$PREFIX/package.json"
  # unsafe_perm: code-server's postinstall refuses to run as root otherwise.
  # yes: node-pty's postinstall runs `npx node-gyp` and must not wait for a prompt.
  # ignore-scripts=false + foreground-scripts: dependency install scripts must run (native modules).
  (
    cd "$PREFIX"
    npm_config_unsafe_perm=true npm_config_yes=true npm_config_ignore_scripts=false \
      npm install --save-exact --foreground-scripts --no-audit --no-fund \
      "code-server@$CODE_SERVER_VERSION"
  )
  local got
  got="$(installed_version)"
  if [ "$got" != "$CODE_SERVER_VERSION" ]; then
    echo "code-server install failed: '$BIN --version' gave '$got', expected $CODE_SERVER_VERSION" >&2
    exit 1
  fi
  # Search in the workbench needs rg; a skipped postinstall leaves it out silently.
  if [ ! -x "$PREFIX/node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep/bin/rg" ]; then
    echo "code-server installed without ripgrep: its @vscode/ripgrep postinstall did not run" >&2
    exit 1
  fi
  log "code-server $got installed: $BIN"
}

mkdir -p "$CACHE_DIR"
install_apt_packages
prepare_ripgrep_cache
install_code_server
