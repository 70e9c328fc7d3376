// conf_batch: `conf --olddefconfig` for many configurations in one process, linked against the
// kernel's own scripts/kconfig objects (confdata.o expr.o lexer.lex.o menu.o parser.tab.o preprocess.o
// symbol.o util.o of the source tree under test). Parsing the Kconfig tree is most of one conf run;
// here it is done once, then for every "INPUT OUTPUT" line of the list file the same two calls
// conf --olddefconfig makes (scripts/kconfig/conf.c@v6.1 main(): conf_read(), then conf_write())
// resolve INPUT and write OUTPUT. conf_read() resets every user value before reading
// (confdata.c conf_read_simple()), so one configuration cannot leak into the next; run.sh checks the
// outputs against real `conf --olddefconfig` runs on a sample.
//   usage: conf_batch Kconfig LIST SYMBOLS
// LIST: "INPUT OUTPUT" per line; OUTPUT "-" skips writing the file. SYMBOLS: names (without CONFIG_),
// one per line; for each configuration one line goes to stdout with their values as the written
// .config would hold them ("n" for a symbol conf_write() leaves out: not SYMBOL_WRITE, or unknown).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lkc.h"

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: %s Kconfig LIST SYMBOLS\n", argv[0]);
    return 2;
  }
  conf_parse(argv[1]);
  if (conf_errors()) return 1;
  FILE *list = fopen(argv[2], "r");
  if (!list) {
    perror(argv[2]);
    return 2;
  }
  static char names[512][128];
  int nsym = 0;
  FILE *syms = fopen(argv[3], "r");
  if (!syms) {
    perror(argv[3]);
    return 2;
  }
  while (nsym < 512 && fscanf(syms, "%127s", names[nsym]) == 1) ++nsym;
  fclose(syms);
  conf_set_message_callback(NULL);
  char in[4096], out[4096];
  long n = 0;
  while (fscanf(list, "%4095s %4095s", in, out) == 2) {
    if (conf_read(in)) {
      fprintf(stderr, "conf_batch: cannot read %s\n", in);
      return 1;
    }
    if (strcmp(out, "-") != 0 && conf_write(out)) {
      fprintf(stderr, "conf_batch: cannot write %s\n", out);
      return 1;
    }
    for (int i = 0; i < nsym; ++i) {
      struct symbol *sym = sym_find(names[i]);
      const char *v = "n";
      if (sym) {
        sym_calc_value(sym);
        if (sym->flags & SYMBOL_WRITE) v = sym_get_string_value(sym);
      }
      printf("%s%s", i ? " " : "", v);
    }
    printf("\n");
    ++n;
  }
  fclose(list);
  fprintf(stderr, "conf_batch: %ld configurations\n", n);
  return 0;
}
