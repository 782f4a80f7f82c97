# push - OMA "Push using SIP" module for Kamailio
#
#   make            build modules/push/push.so for the installed Kamailio
#   make run        build and run the example proxy on 127.0.0.1:5060
#   make test       build and run every unit and system test
#   make install    copy push.so into the installed Kamailio's module dir
#   make doc        render doc/README from the DocBook sources
#   make fuzz       run each fuzz harness for FUZZ_SECONDS (default 60)
#   make bench-engine   time the caller-preference engine
#   make bench      push vs stock Kamailio under SIPp load (bench/run.sh)
#   make bench-hostile  REGISTER cost by Contacts, and the cost of a
#                   request built to make matching expensive (bench/hostile.sh)
#
# KAMAILIO_SRC=/path/to/kamailio builds against that configured tree instead
# of the Debian source of the installed kamailio package.

SHELL := /bin/sh
BUILD_DIR := build
MODULE := modules/push/push.so
DEPS := scripts/deps.sh

.PHONY: all module deps-build run test unit system install doc fuzz \
	bench-engine bench bench-hostile clean

all: module

deps-build:
	@$(DEPS) build

# The source tree is resolved (and fetched once) at build time, so a clean
# checkout needs nothing but this Makefile. Objects built against another
# tree are discarded, and a module that would not load is not left behind
# (nor its objects; a fetched tree is configured again: its configuration
# froze what the system offered then), so the next build starts afresh.
BUILT_AGAINST := modules/push/.built-against

module: deps-build
	@ksrc=$$(BUILD_DIR=$(BUILD_DIR) scripts/kamailio-src.sh) || exit 1; \
	ksrc=$$(cd "$$ksrc" && pwd); \
	if [ "$$(cat $(BUILT_AGAINST) 2>/dev/null)" != "$$ksrc" ]; then \
		rm -f modules/push/*.o modules/push/*.d $(MODULE) $(BUILT_AGAINST); \
		echo "$$ksrc" > $(BUILT_AGAINST); \
	fi; \
	$(MAKE) -s -C modules/push COREPATH="$$ksrc/src" quiet=1 && \
	{ scripts/check-modver.sh $(MODULE) || \
		{ rm -f modules/push/*.o modules/push/*.d $(MODULE); \
		[ -n "$(KAMAILIO_SRC)" ] || rm -f "$$ksrc"/.push-configured-*; \
		exit 1; }; }

RUN_DB := $(CURDIR)/run/push-location.db

run: module
	@$(DEPS) run
	@scripts/location-db.sh $(RUN_DB)
	exec kamailio -DD -E -w $(CURDIR) -f cfg/push-proxy.cfg \
		-A 'DB_URL="sqlite:///$(RUN_DB)"' \
		-A 'CTL_SOCKET="unix:$(CURDIR)/run/kamailio_ctl"'

test: module
	@$(DEPS) test doc
	@tests/run.sh

unit:
	@$(DEPS) test
	@$(MAKE) -s -C tests/unit check

system: module
	@$(DEPS) test
	@tests/system/run.sh

# The module directory of the installed kamailio package.
install: module
	@moddir=$$(dirname "$$(dpkg -L kamailio | grep '/modules/sl\.so$$')"); \
	[ -n "$$moddir" ] || { echo "cannot find kamailio's module directory" >&2; exit 1; }; \
	install -d "$(DESTDIR)$$moddir" && \
	install -m 644 $(MODULE) "$(DESTDIR)$$moddir/push.so" && \
	echo "installed $(DESTDIR)$$moddir/push.so"

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

clean:
	rm -f modules/push/*.o modules/push/*.d $(MODULE) $(BUILT_AGAINST)
	rm -rf $(BUILD_DIR)/unit $(BUILD_DIR)/fuzz $(BUILD_DIR)/bench \
		$(BUILD_DIR)/test-logs
