# lunatik: Lua in the Linux kernel.
#
#   make                 build the modules for KVER (default: the kernel of the
#                        installed linux-headers-amd64, else the running one)
#   sudo make install    install modules, scripts, the CLI and the test
#                        suites (lunatik test); depmod
#   sudo make uninstall  remove exactly what install put
#   sudo make dkms-install  the same, but the modules through DKMS, which
#                        rebuilds them for every new kernel
#   make dkms-source     only the DKMS source tree, Lua vendored, in
#                        $(DESTDIR)/usr/src/lunatik-$(VERSION)
#   make demo            boot a VM and show the seed's /dev/passwd
#   make check           every test: hosted, then both kernels in VMs
#   make vm              a shell in a VM with everything loaded
#   make bench           benchmarks (ratios measured inside one VM boot)
#   make deps            install the Debian packages the above need (root)

KVER ?= $(shell sh -c '. tools/lib.sh; stock_kver')
ifeq ($(KVER),)
KVER := $(shell uname -r)
endif
KDIR ?= /lib/modules/$(KVER)/build
O ?= build/stock
DESTDIR ?=
PREFIX ?= /usr
LUADIR ?= /lib/modules/lua
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
TESTDIR ?= $(PREFIX)/lib/lunatik/tests
MODDIR = $(DESTDIR)/lib/modules/$(KVER)/extra/lunatik
TESTMODDIR = $(DESTDIR)/lib/modules/$(KVER)/extra/lunatik-tests
VERSION := $(shell sed -n 's/^\#define LUNATIK_VERSION_NUM[^"]*"\(.*\)"/\1/p' core/lunatik.h)
DKMSDIR = $(DESTDIR)/usr/src/lunatik-$(VERSION)

# What install puts, besides the CLI and its man page: the modules
# (lunatik.ko and the bindings lib/lua*.ko, never the test modules under
# tests/) and the scripts (examples/*.lua, then the Lua-side libraries
# lib/**/*.lua at their path under lib/, so lib/a/b.lua is require "a.b").
KOS = find $(O) \( -name lunatik.ko -o -name 'lua*.ko' \) -not -path '$(patsubst %/,%,$(O))/tests/*'
LIBLUA := $(patsubst lib/%,%,$(shell find lib -name '*.lua' 2>/dev/null | sort))
EXAMPLES := $(notdir $(wildcard examples/*.lua))
# upstream's example set, at upstream's paths: examples/<name>/*.lua go to
# $(LUADIR)/examples/<name>/ (lunatik run examples/<name>/<script>)
EXAMPLESUB := $(shell find examples -mindepth 2 -name '*.lua' 2>/dev/null | sort)

# What install-tests puts in $(TESTDIR), for `lunatik test`: every kernel
# suite tests/NN-name/ (one of NN-*.lua cases only gets a `run` calling
# lua-suite), lib/ with the shell helpers and the test programs of
# tools/src/ (static, as in the test VM), the suites' test modules in
# extra/lunatik-tests, and the Lua modules the language suite requires
# (tests/03-lua/lib/) among the scripts.
SUITES := $(patsubst tests/%/,%,$(sort $(dir $(wildcard tests/[0-9][0-9]-*/run \
	tests/[0-9][0-9]-*/[0-9][0-9]-*.lua))))
HELPERS := $(patsubst tools/src/%.c,%,$(wildcard tools/src/*.c))
TESTLUA := $(patsubst tests/03-lua/lib/%,%,$(shell find tests/03-lua/lib -name '*.lua' 2>/dev/null | sort))
TESTKOS = find $(O)/tests -path '$(patsubst %/,%,$(O))/tests/[0-9][0-9]-*/*.ko'

all: modules cli

deps:
	tools/deps

modules:
	tools/build-kmod $(KDIR) $(abspath $(O)) >/dev/null

cli:
	$(MAKE) -s -C cli OUT=$(abspath build/cli)

install: install-modules install-userland install-tests
	if [ -z "$(DESTDIR)" ]; then depmod -a $(KVER); fi

install-modules:
	@test -f $(O)/lunatik.ko || { echo "make install: no $(O)/lunatik.ko" \
		"(run 'make' first, or give O=)" >&2; exit 1; }
	install -d $(MODDIR)
	rm -f $(MODDIR)/lunatik.ko $(MODDIR)/lua*.ko
	$(KOS) -exec install -m 644 {} $(MODDIR)/ \;

install-userland: cli
	install -D -m 755 build/cli/lunatik $(DESTDIR)$(BINDIR)/lunatik
	install -D -m 644 cli/lunatik.1 $(DESTDIR)$(MANDIR)/man1/lunatik.1
	install -d $(DESTDIR)$(LUADIR)
	install -m 644 $(addprefix examples/,$(EXAMPLES)) $(DESTDIR)$(LUADIR)/
	for f in $(EXAMPLESUB); do \
		install -D -m 644 $$f $(DESTDIR)$(LUADIR)/$$f || exit 1; \
	done
	for f in $(LIBLUA); do \
		install -D -m 644 lib/$$f $(DESTDIR)$(LUADIR)/$$f || exit 1; \
	done

uninstall: uninstall-tests uninstall-modules uninstall-userland
	if [ -z "$(DESTDIR)" ]; then depmod -a $(KVER); fi

uninstall-modules:
	rm -f $(MODDIR)/lunatik.ko $(MODDIR)/lua*.ko
	if [ -d $(MODDIR) ]; then rmdir --ignore-fail-on-non-empty \
		$(MODDIR) $(dir $(MODDIR)); fi

uninstall-userland:
	rm -f $(DESTDIR)$(BINDIR)/lunatik $(DESTDIR)$(MANDIR)/man1/lunatik.1
	cd $(DESTDIR)$(LUADIR) 2>/dev/null || exit 0; \
	rm -f $(EXAMPLES) $(LIBLUA) $(EXAMPLESUB); \
	for f in $(LIBLUA) $(EXAMPLESUB); do d=$$(dirname $$f); \
		[ $$d = . ] || rmdir -p --ignore-fail-on-non-empty $$d; done; \
	cd / && rmdir --ignore-fail-on-non-empty $(DESTDIR)$(LUADIR)

test-helpers: $(addprefix build/tests/,$(HELPERS))

build/tests/%: tools/src/%.c
	@mkdir -p $(@D)
	$(CC) -O2 -Wall -static -o $@ $<

install-tests: test-helpers
	rm -rf $(DESTDIR)$(TESTDIR)
	install -d $(DESTDIR)$(TESTDIR)/lib
	for s in $(SUITES); do \
		cp -R tests/$$s $(DESTDIR)$(TESTDIR)/$$s || exit 1; \
		[ -e tests/$$s/run ] || { \
		printf '#!/bin/sh\nexec lua-suite "$$(pwd)"\n' \
			>$(DESTDIR)$(TESTDIR)/$$s/run; \
		chmod 755 $(DESTDIR)$(TESTDIR)/$$s/run; }; \
	done
	install -m 755 tests/lib/* $(addprefix build/tests/,$(HELPERS)) \
		$(DESTDIR)$(TESTDIR)/lib/
	if [ -d $(O)/tests ]; then \
		install -d $(TESTMODDIR) && \
		$(TESTKOS) -exec install -m 644 {} $(TESTMODDIR)/ \; ; fi
	for f in $(TESTLUA); do \
		install -D -m 644 tests/03-lua/lib/$$f $(DESTDIR)$(LUADIR)/$$f || \
			exit 1; \
	done

uninstall-tests:
	rm -rf $(DESTDIR)$(TESTDIR) $(TESTMODDIR)
	cd $(DESTDIR)$(LUADIR) 2>/dev/null || exit 0; rm -f $(TESTLUA); \
	for f in $(TESTLUA); do d=$$(dirname $$f); \
		[ $$d = . ] || rmdir -p --ignore-fail-on-non-empty $$d; done
	rmdir --ignore-fail-on-non-empty $(dir $(DESTDIR)$(TESTDIR)) \
		$(dir $(TESTMODDIR)) 2>/dev/null || true

# The DKMS source tree: the module tree tools/build-kmod lays out (Kbuild
# without the test modules; core/ control/ port/ lib/; the patched Lua in
# lua/), dkms.conf, and a Makefile for DKMS's MAKE.  The build needs nothing
# else: DKMS rebuilds for a new kernel without fetching Lua again.
dkms-source:
	@lua=$$(tools/lua-src) || exit 1; set -e; \
	rm -rf $(DKMSDIR); mkdir -p $(DKMSDIR)/lua; \
	cp -a core control port lib $(DKMSDIR)/; \
	rm -rf $(DKMSDIR)/port/hosted; \
	grep -v 'tests/' Kbuild >$(DKMSDIR)/Kbuild; \
	cp -a $$lua/src/*.[ch] $(DKMSDIR)/lua/; \
	tools/gen-lua-exports $(DKMSDIR)/lua >$(DKMSDIR)/lua/lexports.c; \
	sed 's/^PACKAGE_VERSION=.*/PACKAGE_VERSION="$(VERSION)"/' dkms.conf \
		>$(DKMSDIR)/dkms.conf; \
	{ echo '# for DKMS: make KDIR=/lib/modules/<release>/build'; \
	  echo 'KDIR ?= /lib/modules/$$(shell uname -r)/build'; \
	  echo 'all:'; \
	  printf '\t$$(MAKE) -C $$(KDIR) M=$$(CURDIR) modules\n'; \
	  echo 'clean:'; \
	  printf '\t$$(MAKE) -C $$(KDIR) M=$$(CURDIR) clean\n'; \
	  echo '.PHONY: all clean'; } >$(DKMSDIR)/Makefile; \
	echo "$(DKMSDIR)"

# The modules through DKMS (rebuilt for every new kernel) instead of
# install-modules; the CLI and the scripts as 'make install' puts them.
# An older tree of this version leaves DKMS first, while its dkms.conf still
# names the modules it built.
dkms-install: install-userland install-tests
	$(MAKE) -s dkms-remove
	$(MAKE) -s dkms-source >/dev/null
	dkms add lunatik/$(VERSION)
	dkms install lunatik/$(VERSION) -k $(KVER)

dkms-uninstall: uninstall-tests uninstall-userland dkms-remove

dkms-remove:
	if dkms status lunatik/$(VERSION) | grep -q .; then \
		dkms remove lunatik/$(VERSION) --all; fi
	rm -rf $(DKMSDIR)

check: deps
	tools/check

demo: deps
	tools/demo

vm: deps
	tools/check --shell

bench: deps
	tools/bench

clean:
	rm -rf build

.PHONY: all deps modules cli install install-modules install-userland \
	install-tests test-helpers uninstall uninstall-modules \
	uninstall-userland uninstall-tests dkms-source dkms-install \
	dkms-uninstall dkms-remove check demo vm bench clean
