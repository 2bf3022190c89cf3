# Cổng — build, run and test.  `make run` and `make test` are the two commands a newcomer needs.
PKGS     := libh2o-evloop sqlite3 libpq libsodium md4c-html libutf8proc jansson vips zlib inih openssl libqrencode
CC       ?= cc
CFLAGS   ?= -O2 -g
WARN     := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter
# h2o's headers need _GNU_SOURCE under -std=c17; banned.h forbids unchecked libc calls everywhere.
CPPFLAGS := -std=c17 -D_GNU_SOURCE -DH2O_USE_LIBUV=0 -Isrc -include src/core/banned.h \
            -DCONG_SHARE_DIR='"$(CURDIR)"' $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread -lm

SRC      := $(wildcard src/*/*.c) $(wildcard src/*.c)
LIBSRC   := $(filter-out src/main.c,$(SRC))
MIGR     := $(sort $(wildcard src/db/migrations/*.sql))

B        ?= build
OBJ      := $(patsubst src/%.c,$(B)/obj/%.o,$(LIBSRC)) $(B)/obj/gen/migrations.o

.PHONY: screenshots all asan run test test-unit test-http test-pg test-e2e deps clean bench bench-pg bench-dossier fmt demo
all: deps-check $(B)/cong

deps-check:
	@./scripts/deps.sh --check-build || ./scripts/deps.sh build

$(B)/cong: $(B)/obj/main.o $(B)/libcong.a
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS) $(LDEXTRA)

$(B)/libcong.a: $(OBJ)
	@rm -f $@
	ar rcs $@ $^

$(B)/obj/%.o: src/%.c $(wildcard src/*/*.h)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -MMD -c -o $@ $<

# Migrations are compiled into the binary so a program can never run against a schema it does not know.
$(B)/gen/migrations.c: $(MIGR) scripts/embed.sh
	@mkdir -p $(dir $@)
	./scripts/embed.sh $(MIGR) > $@

$(B)/obj/gen/migrations.o: $(B)/gen/migrations.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

ASAN_FLAGS  := -fsanitize=address,undefined
ASAN_CFLAGS := -O1 -g $(ASAN_FLAGS) -fno-omit-frame-pointer -fno-sanitize-recover=undefined
asan:
	$(MAKE) B=build/asan CFLAGS='$(ASAN_CFLAGS)' LDEXTRA='$(ASAN_FLAGS)'

# ---- tests ---------------------------------------------------------------------------------------------
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN  = $(patsubst tests/unit/%.c,$(B)/tests/%,$(UNIT_SRC))

$(B)/tests/%: tests/unit/%.c $(B)/libcong.a
	@mkdir -p $(dir $@)
	@echo "  TEST    $<"
	@$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -Wno-missing-prototypes -o $@ $< $(B)/libcong.a $(LDLIBS) -lcmocka $(LDEXTRA)

unit-bins: $(UNIT_BIN)

test-unit: all unit-bins
	./scripts/run-unit.sh $(B)

test-http: all
	./scripts/deps.sh --check-test || ./scripts/deps.sh test
	CONG_BIN=$(CURDIR)/$(B)/cong node --test --test-reporter=spec tests/http/

test-e2e: all
	./scripts/deps.sh --check-test || ./scripts/deps.sh test
	CONG_BIN=$(CURDIR)/build/cong node --test --test-reporter=spec tests/e2e/

# The same unit and HTTP suites on PostgreSQL (a private server from scripts/pg.sh), then the tests only
# PostgreSQL has: two servers on one database, the database killed under load, migration from SQLite.
PG_URL = postgres://cong@127.0.0.1:$${CONG_PG_PORT:-25432}/
test-pg: all unit-bins
	./scripts/deps.sh --check-test || ./scripts/deps.sh test
	./scripts/pg.sh start
	CONG_TEST_PG=$(PG_URL) ./scripts/run-unit.sh $(B) && \
	CONG_TEST_PG=$(PG_URL) CONG_BIN=$(CURDIR)/$(B)/cong node --test --test-reporter=spec tests/http/ && \
	CONG_TEST_PG=$(PG_URL) CONG_BIN=$(CURDIR)/$(B)/cong node --test --test-concurrency=1 --test-reporter=spec tests/pg/; \
	rc=$$?; ./scripts/pg.sh stop; exit $$rc

test: all
	./scripts/deps.sh --check-test || ./scripts/deps.sh test
	$(MAKE) test-unit
	$(MAKE) test-http
	$(MAKE) test-pg
	$(MAKE) asan
	ASAN_OPTIONS=abort_on_error=0:detect_leaks=1 LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	$(MAKE) B=build/asan CFLAGS='$(ASAN_CFLAGS)' LDEXTRA='$(ASAN_FLAGS)' test-unit test-http
	$(MAKE) test-e2e

# ---- running -------------------------------------------------------------------------------------------
DATA ?= demo-data
run: all
	@test -f $(DATA)/cong.db || ./$(B)/cong init --data $(DATA) --demo
	./$(B)/cong serve --data $(DATA) --listen 127.0.0.1:8080

screenshots: all
	UPDATE_SCREENSHOTS=1 CONG_BIN=$(CURDIR)/build/cong node --test tests/e2e/screenshots.test.mjs

bench: all
	./bench/run.sh

bench-dossier: all
	./bench/dossier.sh

bench-pg: all
	./bench/pg.sh

fmt:
	clang-format -i src/*/*.c src/*/*.h src/*.c

clean:
	rm -rf build

-include $(shell find build -name '*.d' 2>/dev/null)
