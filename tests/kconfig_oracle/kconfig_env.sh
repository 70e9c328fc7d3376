# Sourced: the environment the kernel's top Makefile gives scripts/kconfig (Makefile@v6.1 exports ARCH,
# SRCARCH, CC, LD, HOSTCC, KERNELVERSION, CC_VERSION_TEXT, srctree). The host gcc stands in for every
# arch's compiler: only toolchain-probing symbols (CC_HAS_*, AS_*) depend on it, none that guestmem models.
#   kconfig_env SRC ARCH VERSION
kconfig_env() {
  export srctree=$1 ARCH=$2 KERNELVERSION=$3
  case $2 in x86_64|i386) export SRCARCH=x86 ;; *) export SRCARCH=$2 ;; esac
  export CC=gcc LD=ld HOSTCC=gcc HOSTCXX=g++ CROSS_COMPILE= LLVM= RUSTC=rustc BINDGEN=bindgen PAHOLE=pahole
  CC_VERSION_TEXT=$(gcc --version | head -n 1); export CC_VERSION_TEXT
}
