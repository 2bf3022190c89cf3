#!/usr/bin/env bash
# Where does cong spend its time serving one page?  Samples a `cong serve` under wrk load with perf.
#   bench/profile.sh [cached|uncached] [article|home] [SECONDS]      (defaults: uncached article 6)
# Prints perf's split by library and the top functions (inclusive), and keeps perf.data for
# `perf report -i DIR/perf.data` (the directory is printed at the end).  Needs perf (Debian: linux-perf)
# and usually root, or kernel.perf_event_paranoid ≤ 1.
set -euo pipefail
MODE=${1:-uncached}
PAGE=${2:-article}
SECS=${3:-6}
case "$MODE" in cached) extra=() ;; uncached) extra=(--page_cache off) ;; *) echo "usage: $0 [cached|uncached] [article|home] [SECONDS]" >&2; exit 2 ;; esac
cd "$(dirname "$0")/.."
command -v perf >/dev/null || { echo "profile.sh: perf not found (apt-get install linux-perf)" >&2; exit 1; }
command -v wrk >/dev/null || ./scripts/deps.sh bench
make --no-print-directory all >&2

DIR=$(mktemp -d "${TMPDIR:-/tmp}/cong-profile.XXXXXX")
PID=''
WRK=''
cleanup() {
	set +e
	[ -z "$WRK" ] || kill "$WRK" 2>/dev/null
	[ -z "$PID" ] || { kill -TERM "$PID" 2>/dev/null; wait "$PID" 2>/dev/null; }
	rm -rf "$DIR/data"
}
trap cleanup EXIT
# a copy of the binary, so that a rebuild by someone else during the run cannot confuse perf's symbols
cp build/cong "$DIR/cong"
"$DIR/cong" init --data "$DIR/data" --demo >"$DIR/init.log" 2>&1

while :; do # a port nobody listens on
	PORT=$((20000 + RANDOM % 40000))
	awk -v p="$(printf ':%04X' "$PORT")" 'substr($2, length($2) - 4) == p && $4 == "0A" { f = 1 } END { exit !f }' \
		/proc/net/tcp /proc/net/tcp6 2>/dev/null || break
done
"$DIR/cong" serve --data "$DIR/data" --listen "127.0.0.1:$PORT" --threads 2 --access_log "$DIR/access.log" \
	"${extra[@]}" >"$DIR/serve.log" 2>&1 &
PID=$!
for _ in $(seq 100); do curl -fs -o /dev/null "http://127.0.0.1:$PORT/healthz" && break; sleep 0.05; done
kill -0 "$PID" || { cat "$DIR/serve.log" >&2; exit 1; }
URL=http://127.0.0.1:$PORT/
if [ "$PAGE" = article ]; then
	path=$(curl -fsS "$URL" | grep -o 'href="/tin-tuc/[^"#?]*"' | head -n 1 | sed 's/^href="//; s/"$//')
	URL=http://127.0.0.1:$PORT$path
fi
curl -fsS -o /dev/null "$URL"
wrk -t2 -c64 -d"$((SECS + 4))s" "$URL" >"$DIR/wrk.txt" &
WRK=$!
sleep 2
perf record -q -F 999 -g --call-graph dwarf,16384 -p "$PID" -o "$DIR/perf.data" -- sleep "$SECS" 2>/dev/null
wait "$WRK" || true
WRK=
echo "== cong $MODE, $URL: $(awk '/^Requests\/sec:/ { print $2 }' "$DIR/wrk.txt") req/s under perf"
echo "== by library (self time)"
perf report -i "$DIR/perf.data" --no-children --sort dso --stdio -g none 2>/dev/null | grep -E '^ +[0-9]' | head -12
echo "== functions, inclusive time (children), top 45"
perf report -i "$DIR/perf.data" --children --sort symbol --stdio -g none 2>/dev/null | grep -E '^ +[0-9]' |
	grep -v -e '\] 0x0000' | head -45
echo "== perf data kept in $DIR (perf report -i $DIR/perf.data -G)"
