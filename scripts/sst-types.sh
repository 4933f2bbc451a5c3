#!/usr/bin/env bash
# Generates SST's platform types (.sst/platform/config.d.ts and the @pulumi/* packages it
# imports) without an AWS account and without SST's own downloads, so `npm run typecheck`
# can check sst.config.ts and infra/. Idempotent: does nothing when the types for the
# installed sst version are already there.
#
# Why each setting:
# - SST_SKIP_DEPENDENCY_CHECK: sst would otherwise download pulumi and bun from GitHub.
# - bun: `sst install` runs `<config dir>/sst/bin/bun install` in .sst/platform; we link the
#   binary of the `bun` npm devDependency there. Without it we fall back to npm (SST_NO_BUN),
#   which works too but takes minutes instead of seconds.
# - HOME, XDG_CONFIG_HOME, TMPDIR: keep sst's and the package managers' writes inside .sst/.
# - SST_STAGE: sst refuses to evaluate the config without a stage; "local" deploys nothing.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

platform=".sst/platform"
sst_version="$(node -p 'require("./node_modules/sst/package.json").version')"

if [[ -f "$platform/config.d.ts" && -d "$platform/node_modules/@pulumi/aws" ]] \
  && [[ "$(cat "$platform/version" 2>/dev/null)" == "$sst_version" ]]; then
  echo "sst-types: .sst/platform is up to date for sst $sst_version"
  exit 0
fi

home="$root/.sst/home"
mkdir -p "$home/.config/sst/bin" "$root/.sst/tmp"

export HOME="$home"
export XDG_CONFIG_HOME="$home/.config"
export TMPDIR="$root/.sst/tmp"
export SST_SKIP_DEPENDENCY_CHECK=1
export SST_TELEMETRY_DISABLED=1
export SST_STAGE="${SST_STAGE:-local}"

bun_bin="$root/node_modules/.bin/bun"
if [[ -x "$bun_bin" ]]; then
  ln -sf "$(readlink -f "$bun_bin")" "$XDG_CONFIG_HOME/sst/bin/bun"
else
  echo "sst-types: bun not installed, using npm (slower)" >&2
  export SST_NO_BUN=1
fi

start=$SECONDS
"$root/node_modules/.bin/sst" install
echo "sst-types: .sst/platform ready for sst $sst_version in $((SECONDS - start))s"
