# Build push.so against a Kamailio tree configured with CMake (upstream's
# build system from 6.1 on), from the module's directory:
#   make -C modules/push -f ../../scripts/cmake-module.mk KAMAILIO_BUILD=DIR
# DIR is the CMake build directory (the one holding CMakeCache.txt).
#
# An out-of-tree module gets no help from Kamailio's CMake files: the
# compile options of a module are the INTERFACE properties of the targets
# "common_modules" and "common" (cmake/defs.cmake, compiler-specific.cmake,
# os-specific/*.cmake, lock_methods.cmake), which are not exported. What
# CMake computed from them is written, per module, by its Makefile generator
# into src/modules/M/CMakeFiles/M.dir/flags.make (C_DEFINES, C_INCLUDES,
# C_FLAGS) and link.txt. This file takes those of a module that adds nothing
# of its own (sl, else another of REF_MODULES), replaces that module's name
# by push's, and adds the source tree's src/ to the include path (the module
# includes "core/..." and "modules/..."). The core's generated files
# (core/autover.h in the source tree, core/cfg.tab.h and lex.yy.c in the
# build directory) are not needed by a module. Only the default "Unix
# Makefiles" generator writes flags.make; a tree configured with another
# generator must be configured again without -G.
#
# The warnings are those Kamailio's own modules get from the tree (on
# x86_64 with gcc, CMake adds no -W options but -Wcast-align); WARN adds
# more, e.g. WARN=-Wall as Kamailio's make build has.

ifeq ($(KAMAILIO_BUILD),)
$(error KAMAILIO_BUILD (a CMake build directory of Kamailio) is not set)
endif

comma := ,
cache := $(KAMAILIO_BUILD)/CMakeCache.txt
cache_var = $(shell sed -n 's/^$(1):[A-Z]*=//p' $(cache))

KSRC := $(call cache_var,kamailio_SOURCE_DIR)
CC := $(call cache_var,CMAKE_C_COMPILER)
ifeq ($(CC),)
CC := cc
endif
ifeq ($(KSRC),)
$(error $(cache) is not the cache of a Kamailio build (no kamailio_SOURCE_DIR))
endif

REF_MODULES ?= sl kex corex tm
ref_dir = $(KAMAILIO_BUILD)/src/modules/$(1)/CMakeFiles/$(1).dir
REF := $(firstword $(foreach m,$(REF_MODULES),\
	$(if $(wildcard $(call ref_dir,$(m))/flags.make),$(m))))
ifeq ($(REF),)
$(error no flags.make of any of $(REF_MODULES) under \
	$(KAMAILIO_BUILD)/src/modules: configure the tree with CMake's default \
	generator (Unix Makefiles) and one of these modules)
endif

# C_DEFINES, C_INCLUDES and C_FLAGS of the reference module
include $(call ref_dir,$(REF))/flags.make

NAME := push
DEFS := $(patsubst -DMOD_NAME=%,-DMOD_NAME=\"$(NAME)\",\
	$(patsubst -DMOD_NAMEID=%,-DMOD_NAMEID=$(NAME),\
	$(patsubst -D$(REF)_EXPORTS,-D$(NAME)_EXPORTS,$(C_DEFINES))))
CFLAGS := $(patsubst -ffile-prefix-map=$(KSRC)/src/modules/$(REF)/=,\
	-ffile-prefix-map=$(CURDIR)/=,$(C_FLAGS)) $(WARN)
INCLUDES := $(C_INCLUDES) -I$(KSRC)/src

# The link line of the reference module, without its own name, objects and
# (empty) run path: the options (-shared, -m64, ...) and libraries.
link := $(file <$(call ref_dir,$(REF))/link.txt)
LDFLAGS := $(filter-out -o -Wl$(comma)-soname$(comma)% -Wl$(comma)-rpath$(comma)%,\
	$(filter -%,$(wordlist 2,$(words $(link)),$(link))))

# PAP's documents are read with libxml2 (lib/pap_doc.c).
DEFS += $(shell pkg-config --cflags libxml-2.0)
LDFLAGS += $(shell pkg-config --libs libxml-2.0)

SRCS := $(sort $(wildcard *.c) $(wildcard lib/*.c))
OBJS := $(SRCS:.c=.o)

# Kamailio's database library (srdb1): CMake builds it into the kamailio
# binary, which exports its symbols to the modules, as it does for usrloc.

$(NAME).so: $(OBJS)
	$(CC) -o $@ $(OBJS) $(LDFLAGS) -Wl,-soname,$(NAME).so

%.o: %.c
	$(CC) $(DEFS) $(INCLUDES) $(CFLAGS) -MMD -MP -c $< -o $@

-include $(OBJS:.o=.d)
