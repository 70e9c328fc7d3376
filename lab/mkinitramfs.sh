#!/usr/bin/env bash
# Builds the initramfs images of one release under build/lab/<release>/:
#   domU.cpio   busybox + lab/domU-init.sh
#   dom0.cpio   busybox, Xen's tools (xl, xenstored, xenconsoled, xen-init-dom0) with their libraries
#               (resolved with the release's own loader), the Xen kernel modules, an uncompressed
#               domU kernel (xl create is ~5 s faster with it) and domU.cpio, lab/dom0-init.sh as /init,
#               and, when GUESTMEM_BIN is set, the guestmem binary with the host's libraries (ldd).
#   lab/mkinitramfs.sh RELEASE XENVER
set -euo pipefail
rel=$1 xenver=$2
here=$(cd "$(dirname "$0")" && pwd)
top=${LAB_BUILD:-build/lab}
R=$top/$rel/root
out=$top/$rel
kpkg=$(cat "$out/kernel-package")
# Debian 13 ships its files under /usr only (merged /usr): look in both places.
moddir=$R/lib/modules
[ -d "$moddir" ] || moddir=$R/usr/lib/modules
kver=$(ls "$moddir" | sort -V | tail -1)
ldso=$R/lib64/ld-linux-x86-64.so.2
[ -e "$ldso" ] || ldso=$R/usr/lib64/ld-linux-x86-64.so.2
[ -e "$ldso" ] || ldso=$R/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2
busybox=$(command -v busybox)
file -L "$busybox" | grep -q 'statically linked' || { echo "mkinitramfs: $busybox is not static (apt-get install busybox-static)" >&2; exit 3; }

libpath=$R/lib/x86_64-linux-gnu:$R/usr/lib/x86_64-linux-gnu:$R/usr/lib/xen-$xenver/lib
# copy_elf DEST FILE...: FILE into DEST at the same path below R, plus every library it needs.
copy_with_libs() {
  local dest=$1; shift
  local f lib
  for f in "$@"; do
    install -D -m755 "$R/$f" "$dest/$f"
    while read -r lib; do
      case $lib in
        "$R"/*) install -D -m755 "$(readlink -f "$lib")" "$dest/${lib#"$R"/}" ;;
        *) echo "mkinitramfs: $f needs $lib, which the $rel packages do not have (add its package to lab/fetch.sh)" >&2; exit 4 ;;
      esac
    done < <("$ldso" --list --library-path "$libpath" "$R/$f" | awk '/=>/ {print $3}')
  done
  install -D -m755 "$(readlink -f "$ldso")" "$dest/lib64/ld-linux-x86-64.so.2"
}

base_tree() {  # base_tree DIR: busybox and the directories every init needs
  local d=$1
  rm -rf "$d"; mkdir -p "$d"/{bin,sbin,dev,proc,sys,run,tmp,etc,var/log,var/lib,var/run,lab}
  install -m755 "$busybox" "$d/bin/busybox"
  ln -s busybox "$d/bin/sh"
}
mkcpio() { (cd "$1" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) > "$2"; }

# ---- domU
d=$out/initramfs-domU
base_tree "$d"
install -m755 "$here/domU-init.sh" "$d/init"
mkcpio "$d" "$out/domU.cpio"

# ---- dom0
d=$out/initramfs-dom0
base_tree "$d"
install -m755 "$here/dom0-init.sh" "$d/init"
install -m644 "$here/experiments.sh" "$d/lab/experiments.sh"
xbin=usr/lib/xen-$xenver/bin
copy_with_libs "$d" $xbin/xl $xbin/xenstored $xbin/xenconsoled $xbin/xen-init-dom0
# xl links libgcc_s through pthread_cancel/backtrace at run time (dlopen): without it xl create aborts.
install -D -m644 "$(readlink -f "$R/lib/x86_64-linux-gnu/libgcc_s.so.1" 2>/dev/null || readlink -f "$R/usr/lib/x86_64-linux-gnu/libgcc_s.so.1")" \
  "$d/lib/x86_64-linux-gnu/libgcc_s.so.1"
mkdir -p "$d/etc/xen" "$d/var/lib/xen" "$d/var/lib/xenstored" "$d/var/run/xen" "$d/var/run/xenstored" "$d/var/log/xen/console"
cp "$R/etc/xen/xl.conf" "$d/etc/xen/"
# Xen's kernel modules, uncompressed for busybox insmod, each after the modules it depends on.
mods=()
add_mod() {
  local name=$1 f dep
  for m in "${mods[@]}"; do [ "$m" = "$name" ] && return 0; done
  f=$(find "$moddir/$kver/kernel" -name "$name.ko*" | head -1)
  [ -n "$f" ] || { echo "mkinitramfs: module $name not in $kpkg" >&2; exit 4; }
  case $f in *.xz) xz -dc "$f" ;; *.zst) zstd -qdc "$f" ;; *) cat "$f" ;; esac > "$d/lab/$name.ko"
  for dep in $(objcopy -O binary --only-section=.modinfo "$d/lab/$name.ko" /dev/stdout | tr '\0' '\n' |
               sed -n 's/^depends=//p' | tr ',' ' '); do
    add_mod "$dep"
  done
  mods+=("$name")
}
for m in xen-evtchn xen-gntdev xen-privcmd xenfs xen-gntalloc; do add_mod "$m"; done
echo "${mods[*]}" > "$d/lab/modules"
# The domU's kernel: the same package's kernel, uncompressed (ELF with Xen notes, loaded by libxc).
python3 "$here/extract-vmlinux.py" "$R/boot/vmlinuz-$kver" "$d/lab/vmlinux"
cp "$out/domU.cpio" "$d/lab/domU.cpio"
install -m644 "$here/domU.cfg" "$d/lab/domU.cfg"
if [ -n "${GUESTMEM_BIN:-}" ]; then
  install -D -m755 "$GUESTMEM_BIN" "$d/usr/bin/guestmem"
  while read -r lib; do install -D -m755 "$(readlink -f "$lib")" "$d$lib"; done \
    < <(ldd "$GUESTMEM_BIN" | awk '/=>/ && $3 ~ /^\// {print $3}')
  mkdir -p "$d/lab/scenarios"
  cp "$here"/scenarios/*.json "$d/lab/scenarios/" 2>/dev/null || true
fi
{ echo "LAB_RELEASE=$rel"; echo "LAB_XEN=$xenver"; echo "LAB_KERNEL=$kver"; } > "$d/lab/env"
mkcpio "$d" "$out/dom0.cpio"
du -h "$out/dom0.cpio" | awk -v r="$rel" '{print "mkinitramfs[" r "]: dom0.cpio " $1}'
