#!/usr/bin/env bash
# Builds scripts/kconfig/conf and tests/kconfig_oracle/conf_batch.c against one kernel source tree.
#   build_conf.sh SRC OUTDIR   -> OUTDIR/conf, OUTDIR/conf_batch
set -euo pipefail
SRC=$(cd "$1" && pwd); OUT=$2
HERE=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$OUT"; OUT=$(cd "$OUT" && pwd)
K=$SRC/scripts/kconfig
cd "$OUT"
# as scripts/Makefile.host does it: -t (yydebug), -l (no #line)
bison -o parser.tab.c --defines=parser.tab.h -t -l "$K/parser.y" 2>/dev/null
flex -o lexer.lex.c -L "$K/lexer.l"
# scripts/include: xalloc.h, list.h, hashtable.h of newer trees (6.12)
CFLAGS="-O2 -w -I$K -I$OUT -I$SRC/scripts/include"
objs=""
for f in confdata expr menu preprocess symbol util; do
  gcc $CFLAGS -c "$K/$f.c" -o $f.o; objs="$objs $f.o"
done
gcc $CFLAGS -c parser.tab.c -o parser.tab.o
gcc $CFLAGS -c lexer.lex.c -o lexer.lex.o
objs="$objs parser.tab.o lexer.lex.o"
gcc $CFLAGS -c "$K/conf.c" -o conf.o
gcc -o conf conf.o $objs
gcc $CFLAGS -c "$HERE/conf_batch.c" -o conf_batch.o
gcc -o conf_batch conf_batch.o $objs
echo "built $OUT/conf $OUT/conf_batch"
