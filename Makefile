# evpn top-level build.
#
#   make            evpnd, evpnctl, the small tools, and evpn.ko
#   make check      install deps, build everything (+ ASan/UBSan build), run all tests
#   make demo       the main job: a local demo overlay (see README.md)
#   make bench      all benchmarks (tables + RESULT lines)
#
# Userspace objects go to build/ (release) and build/asan/ (sanitizers); the
# module is built by Kbuild (see ./Kbuild) against Debian's kernel headers:
# KVER defaults to the newest installed linux-headers-*-amd64, never `uname -r`.

VERSION     := 0.1.0
KVER        ?= $(shell scripts/kver.sh 2>/dev/null)
KDIR        ?= /lib/modules/$(KVER)/build

CC          ?= cc
CLANG       ?= clang
PKGS        := libnl-genl-3.0 nice glib-2.0 json-glib-1.0 openssl libstrophe
PKG_CFLAGS   = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS     = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
# evpnd itself never links the control plane's libraries (libnice,
# libstrophe and their chains): only the overlay module does (MOD_SRC
# below); both drop what they do not use (--as-needed)
CORE_PKGS    = $(filter-out nice libstrophe,$(PKGS))
CORE_LIBS    = $(shell pkg-config --libs $(CORE_PKGS) 2>/dev/null) -ldl
MOD_LIBS     = $(PKG_LIBS)
CHECK_LIBS   = $(shell pkg-config --libs check 2>/dev/null)

WARN        := -Wall -Wextra -Werror -Wno-unused-parameter -Wshadow -Wformat=2 \
               -Wstrict-prototypes -Wmissing-prototypes
CPPFLAGS_EV := -D_GNU_SOURCE -DEVPN_VERSION='"$(VERSION)"' -Iuapi -Icore -Ilib -Idaemon
# -fPIC: the same objects go into evpnd and the overlay module
CFLAGS_EV   := -std=gnu11 -g -O2 $(WARN) -fno-strict-aliasing -fPIC $(CPPFLAGS_EV)
ASAN_FLAGS  := -O1 -fsanitize=address,undefined -fno-sanitize-recover=all \
               -fno-omit-frame-pointer
LDFLAGS_EV  := -Wl,--as-needed

CORE_SRC    := $(wildcard core/*.c)
LIB_SRC     := $(wildcard lib/*.c)
DAEMON_SRC  := $(wildcard daemon/*.c daemon/*/*.c)
# The overlay module, build/lib/evpn/evpnd-overlay.so (daemon/overlay_mod.h):
# the sources that need libnice or libstrophe and what only they use. A
# file the core calls into needs a slot in the module's ops table.
MOD_SRC     := daemon/overlay.c daemon/overlay_entry.c daemon/xmpp.c \
               daemon/signalling.c daemon/ice.c daemon/dtls.c daemon/nbrs.c \
               daemon/rekey.c $(wildcard daemon/linkmgr/*.c)
EVPND_SRC   := $(filter-out $(MOD_SRC),$(DAEMON_SRC))
# the unit tests link the module's sources directly, without the loader
DLIB_SRC    := $(filter-out daemon/main.c daemon/overlay_mod.c,$(DAEMON_SRC))
CTL_SRC     := $(wildcard tools/evpnctl/*.c)
# evpnctl reads evpnd's configuration (-c: its run-dir) with evpnd's parser
CTL_CFG_SRC := daemon/config.c daemon/config_overlay.c daemon/sigsuites.c \
               daemon/identity.c daemon/topology/topology.c \
               daemon/topology/mesh.c daemon/topology/symphony.c \
               daemon/datapath/link.c daemon/noncefloor.c
TOOL_SRC    := $(wildcard tools/*.c)
UNIT_SRC    := $(wildcard tests/unit/test_*.c)
FUZZ_SRC    := $(wildcard tests/fuzz/fuzz_*.c)
HEADERS     := $(wildcard uapi/linux/*.h core/*.h lib/*.h daemon/*.h daemon/*/*.h tools/evpnctl/*.h)

# $(call objs,VARIANT_DIR,SOURCES)
objs = $(patsubst %.c,$(1)/obj/%.o,$(2))

define variant
$(1)/obj/%.o: %.c $(HEADERS)
	@mkdir -p $$(dir $$@)
	$$(CC) $$(CFLAGS_EV) $(2) $$(PKG_CFLAGS) -c -o $$@ $$<

# lib/: what evpnd, evpnctl, the tools and the unit tests share
$(1)/libevpn.a: $(call objs,$(1),$(LIB_SRC))
	@rm -f $$@
	$$(AR) rcs $$@ $$^

# evpnd exports its symbols (-rdynamic) and carries all of lib/ for the
# module, which links against them at dlopen() time
$(1)/bin/evpnd: $(call objs,$(1),$(CORE_SRC) $(EVPND_SRC)) $(1)/libevpn.a
	@mkdir -p $$(dir $$@)
	$$(CC) $(2) $$(LDFLAGS_EV) -rdynamic -o $$@ $$(filter %.o,$$^) \
		-Wl,--whole-archive $(1)/libevpn.a -Wl,--no-whole-archive $$(CORE_LIBS)

$(1)/lib/evpn/evpnd-overlay.so: $(call objs,$(1),$(MOD_SRC)) daemon/overlay_mod.map
	@mkdir -p $$(dir $$@)
	$$(CC) $(2) $$(LDFLAGS_EV) -shared -Wl,--version-script=daemon/overlay_mod.map \
		-o $$@ $$(filter %.o,$$^) $$(MOD_LIBS)

$(1)/bin/evpnctl: $(call objs,$(1),$(CORE_SRC) $(CTL_SRC) $(CTL_CFG_SRC)) $(1)/libevpn.a
	@mkdir -p $$(dir $$@)
	$$(CC) $(2) $$(LDFLAGS_EV) -o $$@ $$^ $$(PKG_LIBS) -lm

$(1)/bin/%: $(1)/obj/tools/%.o $(call objs,$(1),$(CORE_SRC)) $(1)/libevpn.a
	@mkdir -p $$(dir $$@)
	$$(CC) $(2) $$(LDFLAGS_EV) -o $$@ $$(filter %.o,$$^) $$(filter %.a,$$^) $$(PKG_LIBS)

$(1)/bin/unit-%: $(1)/obj/tests/unit/test_%.o $(call objs,$(1),$(CORE_SRC) $(DLIB_SRC)) $(1)/libevpn.a
	@mkdir -p $$(dir $$@)
	$$(CC) $(2) $$(LDFLAGS_EV) -o $$@ $$^ $$(CHECK_LIBS) $$(PKG_LIBS) -lm

$(1)/all: $(1)/bin/evpnd $(1)/lib/evpn/evpnd-overlay.so $(1)/bin/evpnctl \
	$(patsubst tools/%.c,$(1)/bin/%,$(TOOL_SRC)) \
	$(patsubst tests/unit/test_%.c,$(1)/bin/unit-%,$(UNIT_SRC))
endef

$(eval $(call variant,build,))
$(eval $(call variant,build/asan,$(ASAN_FLAGS)))

PREFIX      ?= /usr/local
SYSCONFDIR  ?= /etc

.PHONY: all userspace asan kmod kmod-debug fuzz check demo bench deps clean dkms-install install
.SECONDARY:

all: userspace kmod kmod-debug

userspace: build/all
build/all:
	@:
asan: build/asan/all
build/asan/all:
	@:

kmod:
	@test -d "$(KDIR)" || { echo "kmod: no kernel tree at $(KDIR); run scripts/deps.sh or set KDIR/KVER" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) W=1 modules

# The same module with the test-only knobs (Kbuild: EVPN_DEBUG), built in
# build/kmod-debug from per-file links to the sources (kbuild writes its
# objects next to the sources it is given; 6.1 has no separate output dir
# for external modules). The VM tests that need the knobs load it.
KMOD_DEBUG := build/kmod-debug
kmod-debug:
	@test -d "$(KDIR)" || { echo "kmod-debug: no kernel tree at $(KDIR); run scripts/deps.sh or set KDIR/KVER" >&2; exit 1; }
	@mkdir -p $(KMOD_DEBUG)/kmod $(KMOD_DEBUG)/core
	@ln -sfn $(CURDIR)/uapi $(KMOD_DEBUG)/uapi
	@ln -sf $(CURDIR)/Kbuild $(KMOD_DEBUG)/Kbuild
	@for f in kmod/*.[ch] core/*.[ch]; do ln -sf $(CURDIR)/$$f $(KMOD_DEBUG)/$$f; done
	@find $(KMOD_DEBUG)/kmod $(KMOD_DEBUG)/core -xtype l -delete
	$(MAKE) -C $(KDIR) M=$(CURDIR)/$(KMOD_DEBUG) W=1 EVPN_DEBUG=1 modules

# libFuzzer targets: the core (decoder, replay window, forwarding) and the
# daemon's parsers, built with clang. A daemon target names the sources it
# needs in FUZZ_SRC_<name> (compiled with the same flags, next to the core)
# and its pkg-config libraries in FUZZ_LIBS_<name> (FUZZ_LD_<name>: link
# flags); a harness defines stubs for the daemon parts its parser calls but
# does not need (docs/architecture.md).
# The daemon sources get the project's warnings too, less two that only
# clang's -Wextra raises on them ({ NULL } table terminators, the vfprintf
# in cfg_error's helper); gcc's build is the one that vets them.
FUZZ_CFLAGS := -std=gnu11 -g -O1 $(CPPFLAGS_EV) -fsanitize=fuzzer,address,undefined
FUZZ_WARN   := $(WARN) -Wno-missing-field-initializers -Wno-format-nonliteral
FUZZ_SRC_fuzz_sig     := daemon/signalling.c daemon/sigsuites.c daemon/identity.c
FUZZ_LIBS_fuzz_sig    := libstrophe glib-2.0 json-glib-1.0 openssl
FUZZ_SRC_fuzz_linkctl := daemon/linkmgr/linkctl.c daemon/linkmgr/pmtu.c daemon/nbrs.c
FUZZ_LIBS_fuzz_linkctl := glib-2.0 json-glib-1.0 openssl nice
# config.c with the [overlay] section, as evpnd links it, and what their
# value parsers call (dp_suite_parse, topology_find, names, sockaddr)
FUZZ_CFG_SRC          := daemon/config.c daemon/config_overlay.c daemon/sigsuites.c \
                         daemon/identity.c daemon/topology/topology.c \
                         daemon/topology/mesh.c daemon/topology/symphony.c \
                         daemon/datapath/link.c daemon/noncefloor.c lib/aead.c lib/fmt.c lib/names.c \
                         lib/jsonout.c tests/fuzz/nofs.c
FUZZ_SRC_fuzz_config  := $(FUZZ_CFG_SRC)
FUZZ_LIBS_fuzz_config := libstrophe glib-2.0 json-glib-1.0 openssl
FUZZ_LD_fuzz_config   := -Wl,--wrap=fopen
FUZZ_SRC_fuzz_ctl     := daemon/ctl.c lib/neigh.c $(FUZZ_CFG_SRC)
FUZZ_LIBS_fuzz_ctl    := libstrophe glib-2.0 json-glib-1.0 openssl libnl-3.0
FUZZ_LD_fuzz_ctl      := -Wl,--wrap=fopen
.SECONDEXPANSION:
build/fuzz/%: tests/fuzz/%.c $(CORE_SRC) $$(FUZZ_SRC_$$*) $(HEADERS) $(wildcard tests/fuzz/*.h)
	@mkdir -p $(dir $@)
	$(CLANG) $(FUZZ_CFLAGS) $(if $(FUZZ_SRC_$*),$(FUZZ_WARN) \
		$(shell pkg-config --cflags $(FUZZ_LIBS_$*) 2>/dev/null)) \
		-o $@ $< $(CORE_SRC) $(FUZZ_SRC_$*) $(FUZZ_LD_$*) \
		$(if $(FUZZ_LIBS_$*),$(shell pkg-config --libs $(FUZZ_LIBS_$*) 2>/dev/null))
fuzz: $(patsubst tests/fuzz/%.c,build/fuzz/%,$(FUZZ_SRC))

deps:
	@scripts/deps.sh

check: deps
	$(MAKE) all asan fuzz
	tests/run.sh

demo: deps
	$(MAKE) all
	scripts/demo.sh

bench: deps
	$(MAKE) all
	tests/bench/run.sh

dkms-install: deps
	scripts/dkms-install.sh $(VERSION) $(KVER)

# Userspace programs, man pages, an example config (never overwrites a
# config), the systemd unit template and bash completion. The module is
# installed with DKMS: make dkms-install (or the evpn-dkms package, debian/).
# systemd also reads units under /usr/local/lib/systemd/system.
UNITDIR       ?= $(PREFIX)/lib/systemd/system
COMPLETIONDIR ?= $(PREFIX)/share/bash-completion/completions
EXAMPLEDIR    ?= $(SYSCONFDIR)/evpn

install: build/bin/evpnd build/lib/evpn/evpnd-overlay.so build/bin/evpnctl
	install -D -m 755 build/bin/evpnd $(DESTDIR)$(PREFIX)/sbin/evpnd
	install -D -m 644 build/lib/evpn/evpnd-overlay.so $(DESTDIR)$(PREFIX)/lib/evpn/evpnd-overlay.so
	install -D -m 755 build/bin/evpnctl $(DESTDIR)$(PREFIX)/sbin/evpnctl
	install -D -m 644 man/evpnd.8 $(DESTDIR)$(PREFIX)/share/man/man8/evpnd.8
	install -D -m 644 man/evpnctl.8 $(DESTDIR)$(PREFIX)/share/man/man8/evpnctl.8
	install -D -m 644 man/evpnd.conf.5 $(DESTDIR)$(PREFIX)/share/man/man5/evpnd.conf.5
	install -D -m 644 etc/evpnd.conf.example $(DESTDIR)$(EXAMPLEDIR)/evpnd.conf.example
	install -D -m 644 etc/ovs/dhcp-block.flows $(DESTDIR)$(EXAMPLEDIR)/ovs/dhcp-block.flows
	install -D -m 644 etc/cni/evpn-bridge.conf $(DESTDIR)$(EXAMPLEDIR)/cni/evpn-bridge.conf
	install -D -m 644 etc/cni/evpn-bridge-dhcp.conf $(DESTDIR)$(EXAMPLEDIR)/cni/evpn-bridge-dhcp.conf
	sed 's|/usr/sbin/evpnd|$(PREFIX)/sbin/evpnd|' etc/systemd/evpnd@.service > build/evpnd@.service
	install -D -m 644 build/evpnd@.service $(DESTDIR)$(UNITDIR)/evpnd@.service
	install -D -m 644 etc/completion/evpnd.bash $(DESTDIR)$(COMPLETIONDIR)/evpnd
	ln -sf evpnd $(DESTDIR)$(COMPLETIONDIR)/evpnctl

# Regenerate the files derived from the netlink ABI spec (netlink/specs/evpn.yaml):
# uapi/linux/evpn.h, kmod/netlink-gen.[ch], lib/evpn_nl_gen.[ch], docs/netlink.md.
.PHONY: regen
regen:
	scripts/ynl-gen.sh

clean:
	rm -rf build
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null
