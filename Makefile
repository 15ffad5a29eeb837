# gaswalk — a plain Makefile. 'make V=1' shows the commands.
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share
LOCALEDIR ?= $(DATADIR)/locale
MANDIR ?= $(DATADIR)/man
DOCDIR ?= $(DATADIR)/doc/gaswalk
BASHCOMPDIR ?= $(DATADIR)/bash-completion/completions
DESTDIR ?=

CC ?= cc
PKG_CONFIG ?= pkg-config
BUILD ?= build
DEMO_LANG ?= zh
VERSION = 0.1.0
PKGS = ncursesw sqlite3 zlib libqrencode libsodium jansson xlsxwriter

Q = $(if $(V:0=),,@)
ifeq ($(origin CFLAGS),default)
CFLAGS =
endif
CFLAGS ?= -O2 -g
# libxlsxwriter is not linked: report/xlsx_lib.c loads it (dlopen) when an XLSX report
# is written, by the SONAME of the library this compiler would link (its header gives
# the types). Only its --cflags are used.
DLOPEN_PKGS = xlsxwriter
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell $(PKG_CONFIG) --libs $(filter-out $(DLOPEN_PKGS),$(PKGS)) 2>/dev/null || echo -lncursesw -lsqlite3 -lz -lqrencode -lsodium -ljansson)
XLSX_SONAME := $(shell readelf -d "$$($(CC) -print-file-name=libxlsxwriter.so)" 2>/dev/null | \
	sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')
ALL_CFLAGS = -std=c11 -Wall -Wextra -Wshadow -D_GNU_SOURCE -D_FILE_OFFSET_BITS=64 \
	-D_TIME_BITS=64 -DGASWALK_VERSION='"$(VERSION)"' -DLOCALEDIR='"$(LOCALEDIR)"' \
	$(if $(XLSX_SONAME),-DGW_XLSX_SONAME='"$(XLSX_SONAME)"') -I. -I$(BUILD) $(PKG_CFLAGS) $(CFLAGS) $(EXTRA_CFLAGS)
ALL_LDFLAGS = $(LDFLAGS) $(EXTRA_LDFLAGS)
LIBS = $(PKG_LIBS) -lm

LIB_SRC := $(sort $(wildcard core/*.c import/*.c sync/*.c report/*.c tui/*.c) $(filter-out cli/main.c,$(wildcard cli/*.c)))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/embedded.o $(BUILD)/pinyin_table.o
MAIN_OBJ := $(BUILD)/cli/main.o
EMBED := $(sort $(wildcard schema/*.sql)) $(sort $(wildcard data/*.tsv))
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
# Translations: po/LANG/*.po, one file per area of the code, joined at build time.
LANGS := $(notdir $(wildcard po/*_*))
MO := $(LANGS:%=$(BUILD)/locale/%/LC_MESSAGES/gaswalk.mo)

.PHONY: all deps test-deps check demo bench asan valgrind install uninstall clean lint deb deb-test check-cross fuzz fuzz-check
all: $(BUILD)/gaswalk $(BUILD)/test-bin/gaswalk $(BUILD)/test-bin/locale $(MO)

deps:
	$(Q)sh packaging/install-deps.sh packaging/debian-deps.txt

test-deps:
	$(Q)sh packaging/install-deps.sh packaging/debian-deps.txt packaging/debian-test-deps.txt

gaswalk: $(BUILD)/gaswalk
	$(Q)cp $< $@

$(BUILD)/gaswalk: $(MAIN_OBJ) $(BUILD)/libgaswalk.a
	@echo "  LD      $@"
	$(Q)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

# The binary the tests run: the same objects, except core/util.c built with the test
# clock (GASWALK_NOW). The installed and packaged gaswalk ($(BUILD)/gaswalk) has none.
$(BUILD)/test-bin/gaswalk: $(MAIN_OBJ) $(BUILD)/core/util-testclock.o $(BUILD)/libgaswalk.a
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

# its translations: the catalogs beside the binary, as for $(BUILD)/gaswalk
$(BUILD)/test-bin/locale:
	@mkdir -p $(dir $@)
	$(Q)ln -sfn ../locale $@

$(BUILD)/core/util-testclock.o: core/util.c
	@mkdir -p $(dir $@)
	@echo "  CC      $< (test clock)"
	$(Q)$(CC) $(ALL_CFLAGS) -DGW_TEST_CLOCK -MMD -MP -c -o $@ $<

$(BUILD)/libgaswalk.a: $(LIB_OBJ)
	@echo "  AR      $@"
	$(Q)rm -f $@ && ar rcs $@ $^

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/tools/embed: tools/embed.c
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) -O1 -o $@ $<
HOSTCC ?= cc

# the folders too: a file removed from them changes their time, not any file left
$(BUILD)/embedded.c: $(BUILD)/tools/embed $(EMBED) schema data
	@echo "  EMBED   $@"
	$(Q)$(BUILD)/tools/embed $@ $(EMBED)

$(BUILD)/embedded.o: $(BUILD)/embedded.c
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

# The character -> pinyin table of core/pinyin.c, from Debian's unicode-data (Unihan).
UNIHAN ?= /usr/share/unicode/Unihan_Readings.txt.bz2
$(BUILD)/tools/pinyin_gen: tools/pinyin_gen.c
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) -O1 -o $@ $<

$(BUILD)/pinyin_table.c: $(BUILD)/tools/pinyin_gen $(UNIHAN)
	@echo "  PINYIN  $@"
	$(Q)bzip2 -dc $(UNIHAN) >$@.txt && $(BUILD)/tools/pinyin_gen <$@.txt >$@.tmp && \
		rm -f $@.txt && mv $@.tmp $@

$(BUILD)/pinyin_table.o: $(BUILD)/pinyin_table.c
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

.SECONDEXPANSION:
$(BUILD)/locale/%/LC_MESSAGES/gaswalk.mo: $$(wildcard po/%/*.po)
	@mkdir -p $(dir $@)
	@echo "  MSGFMT  $@"
	$(Q)msgcat --use-first -o $(BUILD)/$*.po $^ && msgfmt --check-format -o $@ $(BUILD)/$*.po

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libgaswalk.a
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(BUILD)/libgaswalk.a $(LIBS) -lcmocka

# The tests: cmocka units, then end-to-end scripts driving the real binary.
check: test-deps
	$(Q)$(MAKE) --no-print-directory all $(UNIT_BIN)
	$(Q)$(MAKE) --no-print-directory fuzz-check >/dev/null 2>&1 && echo "PASS fuzz-check" || \
		{ echo "FAIL fuzz-check (run make fuzz-check)"; exit 1; }
	$(Q)BUILD=$(BUILD) sh tests/run.sh

demo: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)rm -rf demo.db demo.db-wal demo.db-shm demo.db.key demo.db.photos
	$(Q)$(BUILD)/gaswalk --db demo.db --lang $(DEMO_LANG) demo --households 2000 --seed 1 $(DEMO_ARGS)

bench: test-deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)BUILD=$(BUILD) sh tests/bench/run.sh

asan:
	$(Q)$(MAKE) --no-print-directory BUILD=build-asan CC=clang \
		EXTRA_CFLAGS="-O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" \
		EXTRA_LDFLAGS="-fsanitize=address,undefined" check

# The suite with every unit test and every gaswalk run under valgrind.
valgrind: test-deps
	$(Q)$(MAKE) --no-print-directory all $(UNIT_BIN)
	$(Q)BUILD=$(BUILD) VALGRIND=1 sh tests/run.sh

# libFuzzer targets (tests/fuzz/*.c) against a clang build of the library:
# 'fuzz' runs each for FUZZ_SECONDS, 'fuzz-check' runs the seed corpus once.
FUZZ_SECONDS ?= 60
FUZZ_BUILD = build-fuzz
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=$(FUZZ_BUILD)/%)
FUZZ_FLAGS = -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c FORCE
	$(Q)$(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) CC=clang \
		EXTRA_CFLAGS="$(FUZZ_FLAGS) -fsanitize=fuzzer-no-link" $(FUZZ_BUILD)/libgaswalk.a
	@echo "  FUZZ    $@"
	$(Q)clang $(ALL_CFLAGS) $(FUZZ_FLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_BUILD)/libgaswalk.a $(LIBS)

fuzz: $(FUZZ_BIN)
	$(Q)for f in $(FUZZ_BIN); do mkdir -p $(FUZZ_BUILD)/corpus/$${f##*/} && \
		$$f -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=512 \
		$(FUZZ_BUILD)/corpus/$${f##*/} tests/fuzz/seeds || exit 1; done

fuzz-check: $(FUZZ_BIN)
	$(Q)for f in $(FUZZ_BIN); do $$f -runs=0 -rss_limit_mb=512 tests/fuzz/seeds || exit 1; done

FORCE:

# Installation, with or without the Debian package: PREFIX, DESTDIR and the *DIR variables.
install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/gaswalk $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(DOCDIR)
	install -m 755 $(BUILD)/gaswalk $(DESTDIR)$(BINDIR)/gaswalk
	install -m 644 data/*.tsv $(DESTDIR)$(DATADIR)/gaswalk/
	install -m 644 doc/gaswalk.1 $(DESTDIR)$(MANDIR)/man1/gaswalk.1
	install -m 644 packaging/bash-completion/gaswalk $(DESTDIR)$(BASHCOMPDIR)/gaswalk
	install -m 644 README.md $(DESTDIR)$(DOCDIR)/
	for l in $(LANGS); do install -d $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES; \
		install -m 644 $(BUILD)/locale/$$l/LC_MESSAGES/gaswalk.mo \
		$(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES/gaswalk.mo; done

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/gaswalk $(DESTDIR)$(MANDIR)/man1/gaswalk.1 \
		$(DESTDIR)$(BASHCOMPDIR)/gaswalk
	rm -rf $(DESTDIR)$(DATADIR)/gaswalk $(DESTDIR)$(DOCDIR)
	for l in $(LANGS); do rm -f $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES/gaswalk.mo; done

# Debian package for ARCH (default: this machine's; arm64 and armhf cross-build), and the
# cross-built tests under qemu user-mode emulation. Both install what they need first.
ARCH ?= $(shell dpkg --print-architecture 2>/dev/null)
deb:
	$(Q)ARCH=$(ARCH) VERSION=$(VERSION) MAKE="$(MAKE)" sh packaging/deb.sh

# The package installed with apt-get into a clean Debian 12 chroot, then used (root).
deb-test:
	$(Q)ARCH=$(ARCH) sh packaging/deb-test.sh

check-cross:
	$(Q)ARCH=$(ARCH) MAKE="$(MAKE)" sh packaging/check-cross.sh

# Static analysis: cppcheck and clang-tidy (checks in .clang-tidy), both must be clean.
lint: all
	cppcheck -q --error-exitcode=1 --enable=warning,portability,performance --std=c11 \
		--inline-suppr --suppress=missingIncludeSystem -I. -I$(BUILD) $(LIB_SRC) cli/main.c
	@out=$$(clang-tidy --quiet $(LIB_SRC) cli/main.c -- $(ALL_CFLAGS) 2>&1); rc=$$?; \
	printf '%s\n' "$$out" | grep -v 'warnings generated' || true; exit $$rc

clean:
	rm -rf build build-asan build-fuzz build-deb-* build-cross-* gaswalk

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
