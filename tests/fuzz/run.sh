#!/bin/sh
# Builds the libFuzzer targets and runs each for N seconds (default 30).
#   tests/fuzz/run.sh [N] [target ...]        targets: tpl md po form query ident (default: all)
# Needs clang with libFuzzer (Debian: apt-get install clang libclang-rt-14-dev).  Binaries, corpora and
# crash files go under build/fuzz/; a crash stops the script with a non-zero status.
set -eu
cd "$(dirname "$0")/../.."

secs=${1:-30}
[ $# -gt 0 ] && shift
targets=${*:-tpl md po form query ident}
cc=${FUZZ_CC:-clang}
out=build/fuzz
flags="-std=c17 -D_GNU_SOURCE -Isrc -include src/core/banned.h -g -O1 -fno-omit-frame-pointer
       -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
       -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter"
mkdir -p "$out"

for t in $targets; do
	case $t in
	tpl) src="src/core/buf.c src/core/arena.c"; pkgs=jansson; seeds="templates" ;;
	md)  src="src/view/md.c src/core/buf.c"; pkgs=md4c; seeds="demo docs" ;;
	po)  src="src/core/buf.c src/core/arena.c"; pkgs=""; seeds="locale" ;;
	form) src="src/http/form.c src/http/util.c src/core/buf.c src/core/arena.c src/core/utf8.c"; pkgs="libutf8proc zlib"; seeds="" ;;
	query) src="src/search/query.c src/core/buf.c src/core/arena.c src/core/utf8.c"; pkgs="libutf8proc"; seeds="" ;;
	ident) src="src/svc/ident.c src/svc/civil.c"; pkgs=""; seeds="" ;;
	*) echo "run.sh: unknown target '$t' (tpl, md, po, form, query, ident)" >&2; exit 2 ;;
	esac
	cflags=""; libs=""
	if [ -n "$pkgs" ]; then cflags=$(pkg-config --cflags $pkgs); libs=$(pkg-config --libs $pkgs); fi
	# shellcheck disable=SC2086
	$cc $flags $cflags "tests/fuzz/fuzz_$t.c" $src -o "$out/fuzz_$t" $libs

	# the project's own templates, catalogs and Markdown make good starting points
	mkdir -p "$out/corpus_$t" "$out/seed_$t"
	for d in $seeds; do
		[ -d "$d" ] || continue
		find "$d" -type f \( -name '*.html' -o -name '*.po' -o -name '*.md' \) -size -64k \
			-exec cp -f {} "$out/seed_$t/" \;
	done
	echo "== fuzz_$t for ${secs}s"
	"$out/fuzz_$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$out/crash_$t-" "$out/corpus_$t" "$out/seed_$t"
done
