#!/usr/bin/env bash
# Prepares the browser end-to-end test (test/e2e/): Debian's chromium and ripgrep, the build
# dependencies of code-server's native modules, and code-server itself in a cache folder
# outside the repository. Idempotent: whatever is already there is kept.
#
# Needs only Debian's package archive and the npm registry. Runs as root (CI) or with sudo.
#
# Environment:
#   CCNET_E2E_CACHE         cache folder (default: ${XDG_CACHE_HOME:-$HOME/.cache}/ccnet-e2e)
#   CCNET_CODE_SERVER_VERSION  code-server version (default 4.100.3, the newest that runs on Node 20)
set -euo pipefail

CODE_SERVER_VERSION="${CCNET_CODE_SERVER_VERSION:-4.100.3}"
CACHE_DIR="${CCNET_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ccnet-e2e}"
CODE_SERVER_DIR="$CACHE_DIR/code-server-$CODE_SERVER_VERSION"
# @vscode/ripgrep (a code-server dependency) downloads ripgrep from GitHub in its postinstall
# unless this file is already in its cache under os.tmpdir(). Version pair of code-server 4.100.3.
RIPGREP_CACHE_NAME="vscode-ripgrep-cache-1.15.11"
RIPGREP_ASSET="ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"

log() { echo "[e2e-setup] $*" >&2; }
started_s=$SECONDS

# ---- Debian packages ---------------------------------------------------------------------
apt_packages=(chromium ripgrep fonts-dejavu-core build-essential python3 pkg-config
  libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev)
missing=()
for pkg in "${apt_packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done
if ((${#missing[@]})); then
  log "installing Debian packages: ${missing[*]}"
  sudo_cmd=()
  if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  log "Debian packages present"
fi
for tool in /usr/bin/chromium /usr/bin/rg; do
  [[ -x $tool ]] || { log "missing $tool after apt-get install"; exit 1; }
done

# ---- ripgrep cache for @vscode/ripgrep ---------------------------------------------------
tmp_root="${TMPDIR:-/tmp}"
rg_cache_dir="$tmp_root/$RIPGREP_CACHE_NAME"
if [[ ! -s $rg_cache_dir/$RIPGREP_ASSET ]]; then
  log "caching Debian's rg as $rg_cache_dir/$RIPGREP_ASSET"
  mkdir -p "$rg_cache_dir"
  staging="$(mktemp -d)"
  cp /usr/bin/rg "$staging/rg"
  tar -czf "$rg_cache_dir/$RIPGREP_ASSET.partial" -C "$staging" rg
  mv "$rg_cache_dir/$RIPGREP_ASSET.partial" "$rg_cache_dir/$RIPGREP_ASSET"
  rm -rf "$staging"
fi

# ---- code-server -------------------------------------------------------------------------
entry="$CODE_SERVER_DIR/node_modules/code-server/out/node/entry.js"
stamp="$CODE_SERVER_DIR/.installed"
if [[ -f $stamp && -f $entry ]]; then
  log "code-server $CODE_SERVER_VERSION present in $CODE_SERVER_DIR"
else
  log "installing code-server $CODE_SERVER_VERSION into $CODE_SERVER_DIR (about a minute)"
  rm -rf "$CODE_SERVER_DIR"
  mkdir -p "$CODE_SERVER_DIR"
  # allowScripts: npm 11 lists install scripts not approved here (a later npm may block them);
  # code-server builds its native modules in them.
  printf '{ "name": "ccnet-e2e-code-server", "private": true, "allowScripts": { "code-server": true, "argon2": true } }\n' \
    >"$CODE_SERVER_DIR/package.json"
  install_log="$CODE_SERVER_DIR/install.log"
  # unsafe-perm: its postinstall runs nested installs that must keep root's permissions;
  # yes: a nested npx must not prompt.
  if ! (cd "$CODE_SERVER_DIR" &&
    npm_config_unsafe_perm=true npm_config_yes=true npm_config_fund=false npm_config_audit=false \
      npm_config_update_notifier=false \
      npm install --no-save --no-package-lock "code-server@$CODE_SERVER_VERSION" >"$install_log" 2>&1); then
    tail -n 60 "$install_log" >&2
    log "code-server install failed; full log: $install_log"
    exit 1
  fi
  [[ -f $entry ]] || { log "code-server installed but $entry is missing; log: $install_log"; exit 1; }
  touch "$stamp"
fi

echo "$CODE_SERVER_DIR/node_modules/code-server"
log "ready in $((SECONDS - started_s)) s"
