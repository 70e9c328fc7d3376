#!/usr/bin/env bash
# Fetches one Debian release's Xen hypervisor, Linux kernel and Xen tools (with the shared libraries
# the tools need) into build/lab/<release>/, without touching the host: a private apt state under
# build/lab/apt/<release>/ is used only to download, and the .debs are unpacked with dpkg-deb -x.
#   lab/fetch.sh RELEASE XENVER KVER_PREFIX     e.g. lab/fetch.sh bookworm 4.17 6.1
# The mirror is the one the host already uses (first non-security URI of its apt sources).
set -euo pipefail
rel=$1 xenver=$2 kver=$3
top=${LAB_BUILD:-build/lab}
aptdir=$top/apt/$rel
root=$top/$rel/root
debs=$top/$rel/debs
mkdir -p "$aptdir"/{lists/partial,archives/partial,etc/preferences.d,etc/apt.conf.d} "$root" "$debs"
# Once fetched and unpacked, the packages are kept: apt's cache queries take a minute on a loaded
# 2-core machine. LAB_REFETCH=1 (or rm -rf build/lab) looks for newer packages.
if [ -e "$top/$rel/fetched" ] && [ -z "${LAB_REFETCH:-}" ]; then
  echo "fetch[$rel]: using the packages fetched on $(cat "$top/$rel/fetched") (LAB_REFETCH=1 to refresh)"
  exit 0
fi
[ -z "${LAB_REFETCH:-}" ] || rm -f "$aptdir/updated"

mirror=$(cat /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null | grep -E '^(URIs:|deb )' |
         grep -v security | sed -E 's/^URIs:\s*//; s/^deb\s+(\[[^]]*\]\s+)?//' | awk 'NR==1{print $1}' || true)
secmirror=$(cat /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null | grep -E '^(URIs:|deb )' |
         grep security | sed -E 's/^URIs:\s*//; s/^deb\s+(\[[^]]*\]\s+)?//' | awk 'NR==1{print $1}' || true)
[ -n "$mirror" ] || { echo "fetch: no Debian mirror in the host's apt sources" >&2; exit 3; }
{ echo "deb [arch=amd64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror $rel main"
  # Xen's point releases reach stable through the security suite (bookworm: 4.17.7).
  [ -z "$secmirror" ] || echo "deb [arch=amd64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $secmirror $rel-security main"
} > "$aptdir/etc/sources.list"
apt_opts=(-o "Dir::Etc::sourcelist=$(realpath "$aptdir/etc/sources.list")" -o "Dir::Etc::sourceparts=-"
          -o "Dir::Etc::preferencesparts=$(realpath "$aptdir/etc/preferences.d")"
          -o "Dir::State::lists=$(realpath "$aptdir/lists")" -o "Dir::Cache=$(realpath "$aptdir")"
          -o "Dir::State::status=/dev/null" -o "APT::Architecture=amd64" -o "APT::Architectures::=amd64"
          -o "Debug::NoLocking=1" -q)
if [ ! -e "$aptdir/updated" ]; then
  echo "fetch[$rel]: apt-get update (private lists, mirror $mirror)"
  apt-get "${apt_opts[@]}" update >"$aptdir/update.log" 2>&1 || { cat "$aptdir/update.log" >&2; exit 4; }
  touch "$aptdir/updated"
fi
acache() { apt-cache "${apt_opts[@]}" "$@"; }

# The newest linux-image-KVER.*-amd64 (unsigned) the release has.
kpkg=$(acache search --names-only "^linux-image-${kver//./\\.}\\.[0-9]+(-[0-9]+|\\+deb[0-9]+)-amd64-unsigned\$" |
       awk '{print $1}' | sort -V | tail -1 || true)
[ -n "$kpkg" ] || { echo "fetch[$rel]: no linux-image-$kver.*-amd64 in $rel" >&2; exit 4; }
pkgs=(xen-hypervisor-$xenver-amd64 "$kpkg" xen-utils-$xenver xen-utils-common)
# Every libxen* runtime library of this Xen version, and the libraries xl and xenstored link with.
# Their sonames are resolved below with the release's own loader; this list covers what Debian's
# 4.17 and 4.20 tools need.
mapfile -t libxen < <(acache search --names-only '^libxen' | awk '{print $1}' |
                      grep -v -E -- '-dev$|-dbg$|-doc$|ocaml|xenium' | sort -u)
pkgs+=("${libxen[@]}" libc6 libgcc-s1 libyajl2 libuuid1 zlib1g liblzma5 libbz2-1.0 libzstd1
       liblzo2-2 libsystemd0 libcap2 libgcrypt20 libgpg-error0 liblz4-1 libnl-3-200 libnl-route-3-200
       libtinfo6 libncursesw6 libunwind8 libstdc++6)
# Only the names this release has (one look at the local package lists, not one call per name).
all_names=$(acache pkgnames)
have=()
for p in "${pkgs[@]}"; do
  grep -qx -- "$p" <<<"$all_names" && have+=("$p")
done
new=0
for p in "${have[@]}"; do
  ls "$debs/${p}_"*.deb >/dev/null 2>&1 && continue
  new=1
done
if [ $new = 1 ]; then
  echo "fetch[$rel]: apt-get download ${#have[@]} packages"
  (cd "$debs" && apt-get "${apt_opts[@]}" download "${have[@]}" >download.log 2>&1) ||
    { cat "$debs/download.log" >&2; exit 4; }
fi
if [ ! -e "$root/.unpacked" ] || [ $new = 1 ]; then
  echo "fetch[$rel]: unpacking into $root"
  for d in "$debs"/*.deb; do dpkg-deb -x "$d" "$root"; done
  touch "$root/.unpacked"
fi
echo "$kpkg" > "$top/$rel/kernel-package"
date -u +%Y-%m-%dT%H:%MZ > "$top/$rel/fetched"
du -sh "$debs" | awk -v r="$rel" '{print "fetch[" r "]: packages " $1}'
