#!/usr/bin/env bash
# Installs the Debian packages listed in cmake/debian-packages.txt (or the list file given as $1) that are
# missing.
# As root: apt-get update + apt-get install. Otherwise: prints the exact command and exits 3.
# `install-deps.sh run`: only the packages marked `run` in the list (what `make run` needs).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if [ "${1:-}" = run ]; then
  mapfile -t wanted < <(grep -v '^\s*#' "$here/debian-packages.txt" | awk '$2 == "run" { print $1 }')
else
  mapfile -t wanted < <(grep -v '^\s*#' "${1:-$here/debian-packages.txt}" | sed 's/\s.*//' | grep -v '^$')
fi
missing=()
for p in "${wanted[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
  [ "$status" = "installed" ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
line="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "guestmem needs these Debian packages: ${missing[*]}" >&2
  echo "run as root:  $line" >&2
  exit 3
fi
echo "installing: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >&2
apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
