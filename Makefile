# push - OMA "Push using SIP" module for Kamailio
#
#   make            build modules/push/push.so for the installed Kamailio
#   make run        build and run the example proxy on 127.0.0.1:5060
#                   (TLS=1: also over TLS on 127.0.0.1:5061, with throwaway
#                   certificates in run/tls)
#   make test       build and run every unit and system test
#   make system     build and run the system tests (FILTER=pgcluster: only
#                   those whose name contains it)
#   make install    copy push.so into the installed Kamailio's module dir
#   make doc        render doc/README from the DocBook sources
#   make deb        build the Debian package for the installed kamailio
#                   package: build/kamailio-push-module_<version>_<arch>.deb
#   make test-deb   build it, check its dependency and files, that dpkg
#                   refuses it for another kamailio version, then install
#                   it, route a push with the installed example and remove
#                   it (also part of make test)
#   make fuzz       run each fuzz harness for FUZZ_SECONDS (default 60)
#   make bench-engine   time the caller-preference engine
#   make bench      push vs stock Kamailio under SIPp load (bench/run.sh)
#   make bench-hostile  REGISTER cost by Contacts, and the cost of a
#                   request built to make matching expensive (bench/hostile.sh)
#   make bench-pap  the PAP front end: submissions per second, answer
#                   latency, Kamailio CPU per push against a plain SIP push
#                   (bench/pap.sh)
#
#   make kamailio-upstream V=6.0.7 KAMAILIO_GIT=/path/to/kamailio.git
#                   build an upstream Kamailio release into
#                   build/upstream/kamailio-V (scripts/kamailio-upstream.sh)
#
# KAMAILIO=/path/to/kamailio builds for, tests against and runs that binary
# (default: the kamailio on the PATH). For Debian's kamailio package the
# module is built against the Debian source of its version; for any other
# Kamailio, KAMAILIO_SRC=/path/to/tree names the tree it was built from,
# configured with "make cfg" or with CMake (then its build directory).
# KAMAILIO_MODULES=dir is its module directory (default: the one compiled
# into the binary).

SHELL := /bin/sh
# The version of the module (modules/push/push_version.h, which the module
# reports), that of its Debian package (PUSH_VERSION+k<kamailio package
# version>).
PUSH_VERSION := $(shell sed -n 's/^\#define PUSH_MODULE_VERSION "\(.*\)"$$/\1/p' \
	modules/push/push_version.h)
BUILD_DIR := build
MODULE := modules/push/push.so
DEPS := scripts/deps.sh
KAMAILIO ?= kamailio
KAMAILIO_MODULES ?=

.PHONY: all module deps-build run test unit system install doc fuzz \
	bench-engine bench bench-hostile bench-pap kamailio-upstream deb test-deb clean

all: module

deps-build:
	@$(DEPS) build

# The source tree is resolved (and fetched once) at build time, so a clean
# checkout needs nothing but this Makefile. Objects built against another
# tree are discarded, and a module that would not load into KAMAILIO is not
# left behind (nor its objects; a fetched tree is configured again: its
# configuration froze what the system offered then), so the next build
# starts afresh. A tree configured with "make cfg" builds the module with
# its own Makefile.modules, a CMake build directory with
# scripts/cmake-module.mk. Built with make, the module links Kamailio's
# database library, found at run time in the directory above KAMAILIO's
# module directory, where Kamailio installs its libraries (CMake builds
# that library into the kamailio binary).
BUILT_AGAINST := modules/push/.built-against
MODULE_OBJS := modules/push/*.[od] modules/push/lib/*.[od]

module: deps-build
	@ksrc=$$(BUILD_DIR=$(BUILD_DIR) KAMAILIO='$(KAMAILIO)' \
		scripts/kamailio-src.sh) || exit 1; \
	env=$$(KAMAILIO='$(KAMAILIO)' KAMAILIO_MODULES='$(KAMAILIO_MODULES)' \
		scripts/kamailio-env.sh) && eval "$$env" || exit 1; \
	libdir=$$(dirname "$$KAM_MODULES"); \
	ksrc=$$(cd "$$ksrc" && pwd); \
	if [ "$$(cat $(BUILT_AGAINST) 2>/dev/null)" != "$$ksrc" ]; then \
		rm -f $(MODULE_OBJS) $(MODULE) $(BUILT_AGAINST); \
		echo "$$ksrc" > $(BUILT_AGAINST); \
	fi; \
	if [ -f "$$ksrc/CMakeCache.txt" ]; then \
		$(MAKE) -s -C modules/push -f $(CURDIR)/scripts/cmake-module.mk \
			KAMAILIO_BUILD="$$ksrc"; \
	else \
		$(MAKE) -s -C modules/push COREPATH="$$ksrc/src" quiet=1 \
			KAMAILIO_LIBDIR="$$libdir"; \
	fi && \
	{ scripts/check-modver.sh $(MODULE) '$(KAMAILIO)' || \
		{ rm -f $(MODULE_OBJS) $(MODULE); \
		[ -n "$(KAMAILIO_SRC)" ] || rm -f "$$ksrc"/.push-configured-*; \
		exit 1; }; }

# The binary, module directory and kamcmd that the system tests and "make
# run" start, exported for tests/system/lib.sh (scripts/kamailio-env.sh).
KAM_ENV = env=$$(KAMAILIO='$(KAMAILIO)' KAMAILIO_MODULES='$(KAMAILIO_MODULES)' \
	scripts/kamailio-env.sh) && eval "$$env" && export KAM_BIN KAM_MODULES KAMCMD

RUN_DB := $(CURDIR)/run/push-location.db

# make run TLS=1: the example WITH_TLS, its listener on 127.0.0.1:5061, with
# a throwaway authority, the proxy's certificate and a Push Sender Agent's
# client certificate for TLS_SENDER (trusted) in run/tls, made once by
# scripts/tls-selfsigned.sh. For the loopback interface only.
TLS ?=
TLS_SENDER ?= ppg.push.example.net
RUN_TLS := $(filter-out 0 no,$(TLS))
RUN_TLS_DIR := $(CURDIR)/run/tls
RUN_TLS_ARGS := $(if $(RUN_TLS),-A WITH_TLS \
	-A 'TLS_CERT="$(RUN_TLS_DIR)/server.pem"' \
	-A 'TLS_KEY="$(RUN_TLS_DIR)/server.key"' \
	-A 'TLS_CA="$(RUN_TLS_DIR)/ca.pem"' \
	-A 'TLS_TRUSTED_SENDER="$(TLS_SENDER)"')

run: module
	@$(DEPS) run
	@scripts/location-db.sh $(RUN_DB)
	@$(if $(RUN_TLS),scripts/tls-selfsigned.sh $(RUN_TLS_DIR) $(TLS_SENDER))
	@$(KAM_ENV) && set -x && exec "$$KAM_BIN" -DD -E -w $(CURDIR) \
		-f cfg/push-proxy.cfg -L "$(CURDIR)/modules/push:$$KAM_MODULES" \
		-A 'DB_URL="sqlite:///$(RUN_DB)"' \
		-A 'CTL_SOCKET="unix:$(CURDIR)/run/kamailio_ctl"' $(RUN_TLS_ARGS)

test: module
	@$(DEPS) test doc
	@$(KAM_ENV) && BUILD_DIR=$(BUILD_DIR) PUSH_VERSION=$(PUSH_VERSION) \
		tests/run.sh

unit:
	@$(DEPS) test
	@$(MAKE) -s -C tests/unit check

system: module
	@$(DEPS) test
	@$(KAM_ENV) && tests/system/run.sh '$(FILTER)'

# push.so into the module directory of KAMAILIO (for Debian's package,
# that of the package); the example proxy as /etc/kamailio/push-proxy.cfg
# (an existing one is kept), its mpath that module directory, the schema script into /usr/share/kamailio-push,
# and the example's default database, /var/lib/kamailio/push-location.db,
# created with its tables when absent and owned by the kamailio user, so
# that "kamailio -f /etc/kamailio/push-proxy.cfg" starts as installed.
INSTALL_CFG := $(DESTDIR)/etc/kamailio
INSTALL_SHARE := $(DESTDIR)/usr/share/kamailio-push
INSTALL_DB := $(DESTDIR)/var/lib/kamailio/push-location.db

install: module
	@$(KAM_ENV) && moddir=$$KAM_MODULES && \
	install -d "$(DESTDIR)$$moddir" && \
	install -m 644 $(MODULE) "$(DESTDIR)$$moddir/push.so" && \
	echo "installed $(DESTDIR)$$moddir/push.so"
	@install -d "$(INSTALL_CFG)" "$(INSTALL_SHARE)"
	@if [ -e "$(INSTALL_CFG)/push-proxy.cfg" ]; then \
		echo "kept $(INSTALL_CFG)/push-proxy.cfg"; \
	else \
		$(KAM_ENV) && \
		scripts/installed-cfg.sh "$$KAM_MODULES" >"$(INSTALL_CFG)/push-proxy.cfg" && \
		chmod 644 "$(INSTALL_CFG)/push-proxy.cfg" && \
		echo "installed $(INSTALL_CFG)/push-proxy.cfg"; \
	fi
	@install -m 755 scripts/location-db.sh "$(INSTALL_SHARE)/location-db.sh"
	@install -m 755 scripts/push-user.sh "$(INSTALL_SHARE)/push-user.sh"
	@install -m 644 scripts/db-url.sh "$(INSTALL_SHARE)/db-url.sh"
	@echo "installed $(INSTALL_SHARE)/location-db.sh, push-user.sh and db-url.sh"
	@scripts/location-db.sh "$(INSTALL_DB)" && \
	if id kamailio >/dev/null 2>&1; then \
		chown kamailio:kamailio "$(dir $(INSTALL_DB))" "$(INSTALL_DB)"; \
	fi && \
	echo "database $(INSTALL_DB) ready (usrloc, subscriber, push_hold)"

# The Debian package, from packaging/ (scripts/make-deb.sh): push.so for the
# installed kamailio package, depending on exactly its version.
deb: module
	@$(DEPS) doc
	@$(KAM_ENV) && BUILD_DIR=$(BUILD_DIR) PUSH_VERSION=$(PUSH_VERSION) \
		scripts/make-deb.sh

# Not part of "make test": builds the package and checks it (tests/deb/run.sh).
test-deb: module
	@$(DEPS) doc
	@$(KAM_ENV) && BUILD_DIR=$(BUILD_DIR) PUSH_VERSION=$(PUSH_VERSION) \
		tests/deb/run.sh

doc:
	@$(DEPS) doc
	@$(MAKE) -s -C doc

fuzz:
	@$(DEPS) fuzz
	@$(MAKE) -s -C tests/fuzz run

bench-engine:
	@$(DEPS) bench
	@$(MAKE) -s -C bench/engine run

bench: module
	@$(DEPS) bench
	@bench/run.sh

bench-hostile: module
	@$(DEPS) bench
	@bench/hostile.sh

bench-pap: module
	@$(DEPS) run bench
	@bench/pap.sh

# An upstream release for testing (V=6.0.7); the clone of Kamailio's git
# repository to take it from is KAMAILIO_GIT: nothing is fetched.
kamailio-upstream:
	@[ -n "$(V)" ] || { echo "usage: make kamailio-upstream V=VERSION" \
		"KAMAILIO_GIT=/path/to/kamailio.git" >&2; exit 2; }
	@BUILD_DIR=$(BUILD_DIR) KAMAILIO_GIT='$(KAMAILIO_GIT)' \
		scripts/kamailio-upstream.sh '$(V)'

clean:
	rm -f $(MODULE_OBJS) $(MODULE) $(BUILT_AGAINST)
	rm -rf $(BUILD_DIR)/unit $(BUILD_DIR)/fuzz $(BUILD_DIR)/bench \
		$(BUILD_DIR)/test-logs $(BUILD_DIR)/deb \
		$(BUILD_DIR)/kamailio-push-module_*.deb
