#!/usr/bin/env bash
# Installs what the benchmarks compare against, when missing:
# - ferm and Capirca (aclgen) from Debian, for the generation comparison, and GNU time;
# - yaml-language-server from npm into an ignored tools folder (never into the
#   project's node_modules), for the checking comparison.
# Usage: bench/setup.sh [TOOLS_DIR]   (default .cache/bench-tools)
set -euo pipefail
cd "$(dirname "$0")/.."
tools_dir="${1:-.cache/bench-tools}"

missing=()
command -v ferm >/dev/null 2>&1 || missing+=(ferm)
command -v aclgen >/dev/null 2>&1 || missing+=(python3-capirca)
# GNU time reports the CPU time of the compared commands (steadier than wall time under load).
[ -x /usr/bin/time ] || missing+=(time)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "bench/setup.sh: need ${missing[*]}; run as root or install them with apt-get" >&2
    exit 1
  fi
  echo "bench/setup.sh: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ ! -f "$tools_dir/node_modules/yaml-language-server/package.json" ]; then
  echo "bench/setup.sh: installing yaml-language-server into $tools_dir" >&2
  mkdir -p "$tools_dir"
  npm install --prefix "$tools_dir" --no-audit --no-fund yaml-language-server >/dev/null
fi
