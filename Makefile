# seedload — build, test, demo, bench, format, sanitizer builds.
#
#   make                 build ./seedload (release, -O2 -g)
#   make check           build and run every test (unit + integration); ends with "N passed, M failed"
#   make demo            build, generate EduPulse 'small' into SQLite, print what was made
#   make bench           run the side-by-side benchmarks under bench/ (slow; writes bench/results/)
#   make format          clang-format every C file
#   make SANITIZE=address,undefined check    the same tests under ASan+UBSan
#   make SANITIZE=thread check               the same tests under TSan
#
# Libraries come through pkg-config. Missing Debian packages are installed by
# scripts/deps.sh when run as root; otherwise it prints the exact apt-get line.

CC       ?= cc
PKGS     := libpq sqlite3 yaml-0.1 zlib
SANITIZE ?=
OPT      ?= -O2

comma := ,
ifeq ($(SANITIZE),)
  VARIANT := release
  SANFLAGS :=
else
  VARIANT := san-$(subst $(comma),-,$(SANITIZE))
  SANFLAGS := -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
  OPT := -O1
endif

BUILD   := build/$(VARIANT)
WARN    := -Wall -Wextra -Wstrict-prototypes -Wshadow -Wvla -Wformat=2 -Werror
CPPFLAGS += -D_GNU_SOURCE -Iinclude
CFLAGS  += -std=c11 $(OPT) -g $(WARN) $(SANFLAGS) -MMD -MP
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
LDLIBS  += $(PKG_LIBS) -lpthread -lm
LDFLAGS += $(SANFLAGS)

SRCS      := $(wildcard src/*.c)
OBJS      := $(SRCS:src/%.c=$(BUILD)/obj/%.o)
LIB_OBJS  := $(filter-out $(BUILD)/obj/main.o,$(OBJS))
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
BENCH_SRCS := $(wildcard bench/*.c)
BENCH_BINS := $(BENCH_SRCS:bench/%.c=$(BUILD)/bench/%)
BIN       := $(BUILD)/seedload

.PHONY: all deps check unit integration demo bench format tidy clean
.DEFAULT_GOAL := all

all: $(BIN) seedload

# ./seedload is the release binary; a sanitizer build leaves it alone.
seedload: $(BIN)
ifeq ($(SANITIZE),)
	@ln -sf $(BIN) seedload
endif

deps:
	@scripts/deps.sh test

$(BIN): $(OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/obj/%.o: src/%.c | $(BUILD)/obj
	$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(LIB_OBJS) | $(BUILD)/tests
	$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) -o $@ $< $(LIB_OBJS) $(LDFLAGS) $(LDLIBS) -lcmocka

$(BUILD)/bench/%: bench/%.c $(LIB_OBJS) | $(BUILD)/bench
	$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) -o $@ $< $(LIB_OBJS) $(LDFLAGS) $(LDLIBS)

$(BUILD)/obj $(BUILD)/tests $(BUILD)/bench:
	@mkdir -p $@

check: deps
	@$(MAKE) --no-print-directory all $(UNIT_BINS) $(BENCH_BINS)
	@SEEDLOAD=$(CURDIR)/$(BIN) UNIT_DIR=$(CURDIR)/$(BUILD)/tests BENCH_BIN_DIR=$(CURDIR)/$(BUILD)/bench \
	  SANITIZE="$(SANITIZE)" tests/run.sh $(TESTS)

unit: deps
	@$(MAKE) --no-print-directory $(UNIT_BINS)
	@SEEDLOAD=$(CURDIR)/$(BIN) UNIT_DIR=$(CURDIR)/$(BUILD)/tests tests/run.sh --unit-only

demo:
	@scripts/deps.sh build
	@$(MAKE) --no-print-directory all
	@scripts/demo.sh $(CURDIR)/$(BIN)

bench:
	@scripts/deps.sh bench
	@$(MAKE) --no-print-directory all $(BENCH_BINS)
	@SEEDLOAD=$(CURDIR)/$(BIN) BENCH_BIN_DIR=$(CURDIR)/$(BUILD)/bench bench/run.sh $(BENCHES)

format:
	clang-format -i $(wildcard src/*.c src/*.h include/seedload/*.h tests/unit/*.c bench/*.c)

tidy:
	clang-tidy $(SRCS) -- $(CPPFLAGS) $(PKG_CFLAGS) -std=c11

clean:
	rm -rf build seedload

-include $(OBJS:.o=.d)
