# lunatik: Lua in the Linux kernel.
#
#   make                 build the modules for KVER (default: the kernel of the
#                        installed linux-headers-amd64, else the running one)
#   sudo make install    install modules, scripts and the CLI; depmod
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

all: modules cli

deps:
	tools/deps

modules:
	tools/build-kmod $(KDIR) $(O) >/dev/null

cli:
	$(MAKE) -s -C cli OUT=$(abspath build/cli)

install: cli
	install -D -m 755 build/cli/lunatik $(DESTDIR)$(PREFIX)/bin/lunatik
	install -D -m 644 cli/lunatik.1 $(DESTDIR)$(PREFIX)/share/man/man1/lunatik.1
	install -d $(DESTDIR)/lib/modules/$(KVER)/extra/lunatik
	find $(O) -name '*.ko' -not -path '*/tests/*' \
		-exec install -m 644 {} $(DESTDIR)/lib/modules/$(KVER)/extra/lunatik/ \;
	install -d $(DESTDIR)$(LUADIR)
	install -m 644 examples/*.lua $(DESTDIR)$(LUADIR)/
	if [ -z "$(DESTDIR)" ]; then depmod -a $(KVER); fi

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/lunatik $(DESTDIR)$(PREFIX)/share/man/man1/lunatik.1
	rm -rf $(DESTDIR)/lib/modules/$(KVER)/extra/lunatik
	for f in examples/*.lua; do rm -f $(DESTDIR)$(LUADIR)/$${f#examples/}; done
	if [ -z "$(DESTDIR)" ]; then depmod -a $(KVER); fi

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

.PHONY: all deps modules cli install uninstall check demo vm bench clean
