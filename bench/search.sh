#!/usr/bin/env bash
# Search bench (issue 4): 100,000 generated Vietnamese articles, then
#   1. index build rate: the first search re-indexes every queued article (search_sync), timed;
#   2. latency of typical queries through HTTP: wrk with a rotating list of queries, page cache off so
#      every request runs the full-text query, p50/p99 reported by wrk --latency.
# usage: bench/search.sh [N articles (100000)] [seconds (20)] [connections (4)]
# Needs: wrk, curl, python3, hunspell-vi (scripts/deps.sh bench).  Figures go to docs/PERFORMANCE.md.
set -euo pipefail
cd "$(dirname "$0")/.."
SAY_TAG=bench-search
# shellcheck source-path=SCRIPTDIR source=lib.sh
source bench/lib.sh
N=${1:-100000}
SECS=${2:-20}
CONNS=${3:-4}
DIR=${BENCH_DIR:-/tmp/cong-bench-search}
PORT=${BENCH_PORT:-18590}
BIN=${CONG_BIN:-build/cong}

[ -x "$BIN" ] || make
if [ ! -f "$DIR/generated-$N" ]; then
	rm -rf "$DIR"
	"$BIN" init --data "$DIR" >/dev/null
	python3 bench/gen-articles.py "$DIR/cong.db" "$N"
	touch "$DIR/generated-$N"
fi

# a server already on the port would share it (SO_REUSEPORT) or answer in cong's place
port_listening "$PORT" && die "port $PORT is taken: choose another BENCH_PORT"
"$BIN" serve --data "$DIR" --listen "127.0.0.1:$PORT" --page_cache off >/dev/null 2>"$DIR/serve.log" &
PID=$!
wait_ready "$PID" "$PORT" /healthz || die "cong did not start on port $PORT: $(tail -n 1 "$DIR/serve.log")"

echo "== machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
QUEUED=$(sqlite3 "$DIR/cong.db" "SELECT count(*) FROM search_dirty")
T=$(curl -s -o /dev/null -w '%{time_total}' "http://127.0.0.1:$PORT/tim-kiem?q=hoi+nghi")
if [ "$QUEUED" -gt 0 ]; then
	python3 -c "print(f'== index build: $QUEUED articles in {$T:.2f} s = {$QUEUED/$T:,.0f} articles/s')"
else
	echo "== index already built (run with a fresh BENCH_DIR to time the build)"
fi
echo "== index: $(sqlite3 "$DIR/cong.db" "SELECT count(*) FROM article_search") rows; database $(du -m "$DIR/cong.db" | cut -f1) MB"

cat > "$DIR/queries.lua" <<'LUA'
local qs = {
  "/tim-kiem?q=thu+tuc+cap+giay+phep",
  "/tim-kiem?q=de+an+06",
  "/tim-kiem?q=giai+ngan+von+dau+tu+cong",
  "/tim-kiem?q=d%E1%BB%8Bch+v%E1%BB%A5+c%C3%B4ng+tr%E1%BB%B1c+tuy%E1%BA%BFn",
  "/tim-kiem?q=%22nong+thon+moi%22",
  "/tim-kiem?q=phong+chong+thien+tai+-bao",
  "/tim-kiem?q=dat+dai+tan+phong",
  "/tim-kiem?q=hoi+nghi&sort=date",
  "/tim-kiem?q=chuyen+doi+so&page=3",
  "/tim-kiem?q=bao+hiem+y+te&lang=all",
  "/tim-kiem?q=ocop+vung+mai&cat=kinh-te",
  "/zh/search?q=%E7%BB%8F%E6%B5%8E",
  "/en/search?q=coastal+road",
  "/tim-kiem?q=xyzzy+khong+co",
}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", qs[(i % #qs) + 1])
end
LUA
echo "== per query (single request each, ms):"
sed -n 's/^  "\(.*\)",$/\1/p' "$DIR/queries.lua" | while read -r u; do
	printf '%8.1f  %s\n' "$(curl -s -o /dev/null -w '%{time_total}' "http://127.0.0.1:$PORT$u" | awk '{print $1*1000}')" "$u"
done
echo "== wrk: $CONNS connections, $SECS s, page cache off"
THREADS=$([ "$CONNS" -ge 2 ] && echo 2 || echo 1)
wrk -t"$THREADS" -c"$CONNS" -d"${SECS}s" --latency -s "$DIR/queries.lua" "http://127.0.0.1:$PORT" | sed -n '/Latency Distribution/,/Requests\/sec/p;/Non-2xx/p'
