# reviewgym - one plain Makefile (STYLE.md §9).
#   make            build build/reviewgym (-O2 -g)
#   make deps       install the Debian packages (idempotent)
#   make run        build and serve on $HOST:$PORT (default 0.0.0.0:8000)
#   make check      unit, integration, Python shell and browser tests (the README's test command)
#   make browser    the dashboard in headless Chromium
#   make asan       the whole suite under ASan+UBSan
#   make valgrind   unit binaries under valgrind (leaks included)
#   make lint       layer check and banned functions
#   make clean

MAKEFLAGS += --no-print-directory
MODE    ?= release
BUILD   := build/$(MODE)
CC      ?= cc
PKGS    := libwebsockets jansson libgit2 libcurl sqlite3
WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wformat=2 -Wvla -Wundef -Wno-format-truncation
# (truncation by snprintf into bounded buffers is the intended behaviour)
CFLAGS_COMMON := -std=c11 -D_POSIX_C_SOURCE=200809L $(WARN) -Isrc -MMD -MP -g \
           $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LIBS    := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm -lpthread

ifeq ($(MODE),asan)
  OPT := -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
  LDEXTRA := -fsanitize=address,undefined
else
  OPT := -O2
  LDEXTRA :=
endif
CFLAGS  := $(CFLAGS_COMMON) $(OPT)

SRC_LIB := $(wildcard src/core/*.c src/bank/*.c src/grade/*.c src/env/*.c src/store/*.c src/server/*.c src/agent/*.c src/cli/cmd_*.c)
OBJ_LIB := $(SRC_LIB:%.c=$(BUILD)/%.o)
OBJ_MAIN := $(BUILD)/src/cli/main.o
BIN     := $(BUILD)/reviewgym

UNIT_SRC := $(wildcard tests/unit/*/test_*.c)
UNIT_BIN := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))
UNIT_LIBS := $(shell pkg-config --libs criterion 2>/dev/null)

.PHONY: all deps run check unit integration asan valgrind lint clean bench fuzz python browser

all: $(BIN) build/reviewgym

build/reviewgym: $(BIN)
	@ln -sf $(MODE)/reviewgym build/reviewgym

# V=1 shows full command lines.
Q := $(if $(V),,@)

$(BIN): $(OBJ_LIB) $(OBJ_MAIN)
	@echo "  LD      $@"
	$(Q)$(CC) $(LDEXTRA) -o $@ $^ $(LIBS)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(OBJ_LIB)
	@mkdir -p $(dir $@)
	@echo "  TEST    $@"
	$(Q)$(CC) $(CFLAGS) -Itests -o $@ $< $(OBJ_LIB) $(LIBS) $(UNIT_LIBS) $(LDEXTRA)

deps:
	sh scripts/install-deps.sh

run: all
	./build/reviewgym serve --tasks tasks

unit: $(UNIT_BIN)
	sh scripts/run-unit.sh $(BUILD) $(UNIT_BIN)

integration: $(BIN)
	sh scripts/run-integration.sh $(BIN)

# The README's test command is `sh scripts/install-deps.sh && make check`.
check:
	$(MAKE) all
	$(MAKE) unit
	$(MAKE) integration
	$(MAKE) lint
	./build/reviewgym tasks check --tasks tasks
	$(MAKE) python
	$(MAKE) browser
	$(MAKE) fuzz FUZZ_S=10
	$(MAKE) MODE=asan unit integration

asan:
	$(MAKE) MODE=asan unit integration

# The Python shell (models.py, client.py, server/app.py) against the real server.
python: $(BIN)
	REVIEWGYM_BIN=$(abspath $(BIN)) REVIEWGYM_TASKS=$(abspath tasks) python3 tests/python/run.py

# The dashboard in headless Chromium (Playwright; screenshots in build/artifacts/browser).
browser: $(BIN)
	sh scripts/run-browser.sh $(BIN)

valgrind: $(UNIT_BIN)
	sh scripts/run-unit.sh --valgrind $(BUILD) $(UNIT_BIN)

lint:
	sh scripts/lint.sh

bench: all
	sh bench/run.sh

clean:
	rm -rf build

-include $(OBJ_LIB:.o=.d) $(OBJ_MAIN:.o=.d)

# libFuzzer targets (clang-14): make fuzz FUZZ_S=60 runs each for FUZZ_S seconds,
# seeded from tests/fixtures/actions.
FUZZ_S ?= 30
FUZZ_SRC := $(filter-out src/store/% src/server/% src/agent/% src/cli/%,$(SRC_LIB))
fuzz: build/fuzz/fuzz_action
	mkdir -p build/fuzz/corpus && cp -r tests/fixtures/actions/ok/*.json tests/fixtures/actions/bad/*.json build/fuzz/corpus/ 2>/dev/null || true
	./build/fuzz/fuzz_action -max_total_time=$(FUZZ_S) -max_len=65536 build/fuzz/corpus

build/fuzz/fuzz_action: fuzz/fuzz_action.c $(FUZZ_SRC)
	@mkdir -p build/fuzz
	clang-14 -std=c11 -D_POSIX_C_SOURCE=200809L -g -O1 -Isrc -fsanitize=fuzzer,address,undefined \
	  $(shell pkg-config --cflags jansson libgit2) -o $@ $^ $(shell pkg-config --libs jansson libgit2) -lm
