#!/usr/bin/env bash
# Fetches Debian's kernel packages for the Kconfig oracle into a build folder, without touching the
# host's apt state: a private apt configuration (sources list, lists, cache) lives under OUT/apt.
#   fetch.sh OUT            config-* files of the kernel images (6.1 bookworm, 6.12 trixie)
#   fetch.sh OUT sources    also linux-source-6.1 and linux-source-6.12, unpacked under OUT/src
# The mirror is read from the host's /etc/apt/sources.list.d/debian.sources (or sources.list) at run
# time; trixie is added to the private list only.
set -euo pipefail
OUT=${1:?usage: fetch.sh OUT [sources]}
WANT_SOURCES=${2:-}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
APT="$OUT/apt"
mkdir -p "$APT/lists/partial" "$APT/cache/archives/partial" "$APT/etc/preferences.d" "$OUT/debs"

mirror=""
if [[ -f /etc/apt/sources.list.d/debian.sources ]]; then
  mirror=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources)
fi
if [[ -z "$mirror" && -f /etc/apt/sources.list ]]; then
  mirror=$(awk '$1 == "deb" && $0 !~ /security/ {for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) {print $i; exit}}' /etc/apt/sources.list)
fi
[[ -n "$mirror" ]] || { echo "fetch.sh: no Debian mirror found in /etc/apt" >&2; exit 3; }
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
cat > "$APT/sources.list" <<LIST
deb [signed-by=$keyring] $mirror bookworm main
deb [signed-by=$keyring] $mirror trixie main
LIST
cat > "$APT/apt.conf" <<CONF
Dir::Etc::SourceList "$APT/sources.list";
Dir::Etc::SourceParts "/nonexistent";
Dir::Etc::Preferences "/nonexistent";
Dir::Etc::PreferencesParts "$APT/etc/preferences.d";
Dir::State "$APT";
Dir::State::Lists "$APT/lists";
Dir::State::status "/var/lib/dpkg/status";
Dir::Cache "$APT/cache";
Dir::Cache::Archives "$APT/cache/archives";
APT::Architecture "amd64";
APT::Architectures { "amd64"; "arm64"; "i386"; };
CONF
export APT_CONFIG="$APT/apt.conf"
if [[ ! -f "$APT/updated" ]]; then
  apt-get -q update >&2
  touch "$APT/updated"
fi

# Newest version of a package in a suite (the candidate ignores suites: read the policy table).
newest() { # newest PACKAGE SUITE
  apt-cache madison "$1" | awk -v s="$2" '$0 ~ " "s"/" {print $3; exit}'
}
pick() { # pick REGEX SUITE: the image package name with the highest version in SUITE
  apt-cache search --names-only "$1" | awk '{print $1}' | while read -r p; do
    v=$(newest "$p" "$2"); [[ -n "$v" ]] && echo "$v $p"
  done | sort -V | tail -1 | awk '{print $2}'
}

cd "$OUT/debs"
: > "$OUT/packages.txt"
for suite in bookworm trixie; do
  for flavour in amd64 arm64 686-pae 686; do
    case $flavour in 686|686-pae) arch=i386 ;; *) arch=$flavour ;; esac
    if [[ $suite == bookworm ]]; then re="^linux-image-6\.1\.[0-9]+-[0-9]+-$flavour(-unsigned)?$"
    else re="^linux-image-6\.12\.[0-9]+\+deb13-$flavour(-unsigned)?$"; fi
    # trixie has no i386 kernel images any more (i386 is a partial architecture there)
    name=$(pick "$re" "$suite")
    [[ -n "$name" ]] || { echo "fetch.sh: no $re in $suite" >&2; continue; }
    v=$(newest "$name:$arch" "$suite")
    deb=$(ls ${name}_*_${arch}.deb 2>/dev/null | head -1 || true)
    [[ -n "$deb" ]] || { apt-get -q download "$name:$arch=$v" >&2; deb=$(ls ${name}_*_${arch}.deb | head -1); }
    dir="$OUT/configs/$suite-$flavour"
    mkdir -p "$dir"
    dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$dir" --wildcards './boot/config-*'
    echo "$suite $flavour $name $v $(ls "$dir"/boot/config-*)" >> "$OUT/packages.txt"
  done
done

if [[ "$WANT_SOURCES" == sources ]]; then
  mkdir -p "$OUT/src"
  for pair in "bookworm linux-source-6.1" "trixie linux-source-6.12"; do
    set -- $pair
    v=$(newest "$2" "$1")
    [[ -n "$v" ]] || { echo "fetch.sh: no $2 in $1" >&2; exit 3; }
    deb=$(ls ${2}_*_all.deb 2>/dev/null | head -1 || true)
    [[ -n "$deb" ]] || { apt-get -q download "$2=$v" >&2; deb=$(ls ${2}_*_all.deb | head -1); }
    dest="$OUT/src/$2"
    if [[ ! -f "$dest/.done" ]]; then
      rm -rf "$dest"; mkdir -p "$dest"
      # The package holds /usr/src/linux-source-X.tar.xz; only the Kconfig tree and scripts/kconfig are
      # needed, so unpack those (Kconfig*, scripts/, Makefiles, arch/*/Makefile for ARCH handling).
      dpkg-deb --fsys-tarfile "$deb" | tar -x -O --wildcards './usr/src/linux-source-*.tar.xz' \
        | xz -dc | tar -x -C "$dest" --strip-components=1 --wildcards \
            '*/Kconfig*' '*/scripts/*' '*/Makefile' '*/arch/*/Makefile*' '*/arch/*/configs/*' \
            '*/include/*' '*/tools/*' '*.config' 2>/dev/null || true
      echo "$2 $v" > "$dest/.done"
    fi
    echo "source $2 $v" >> "$OUT/packages.txt"
  done
fi
cat "$OUT/packages.txt"
