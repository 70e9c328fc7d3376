#!/usr/bin/env bash
# Copies the small sections of one run into tests/data/lab/NAME/, each with a header naming the
# versions and the command. The list below is what the fidelity test reads, plus context.
#   lab/capture.sh SECTIONS_DIR DEST "VERSIONS" "COMMAND"
set -euo pipefail
src=$1 dest=$2 versions=$3 cmd=$4
keep="uname cmdline events e820 iomem balloon meminfo buddyinfo xl-list xl-info-free iomem-end balloon-end
      meminfo-end buddyinfo-end domU-cfg domU-xl-list-boot domU-e820 domU-iomem domU-balloon domU-meminfo
      domU-samples domU-kmsg domU-xl-list-192 domU-xl-list-384 domU-xl-list-512 domU-xl-list-256
      domU-state-boot domU-state-192 domU-state-384 domU-state-512 domU-state-256
      rb-xl-list-before rb-domain-before rb-run rb-xl-list-after rb-trace rb-report-balloon rb-calibrate
      rb-refuse-dom0 map-iomem"
mkdir -p "$dest"
for s in $keep; do
  [ -e "$src/$s" ] || continue
  { echo "# lab capture '$s': $versions"
    echo "# command: $cmd"
    cat "$src/$s"; } > "$dest/$s"
done
