#!/usr/bin/env bash
# Cổng performance benchmark: `make bench` (or ./bench/run.sh from the source tree).
#
# Serves one article page and the home page three ways, from a fresh demo portal:
#   nginx        the exact bytes cong produced, saved as static .html files (sendfile, keep-alive)
#   cong cached  the page cache on (the default): a hit is answered on the event loop
#   cong uncached  --page_cache off: every request is rendered by a worker (SQLite + templates + Markdown)
# and loads each with wrk; then measures `cong serve` start-up (exec → first 200 from /healthz) with
# hyperfine, and reads the peak RSS (VmHWM) of both cong processes.  Prints a Markdown report.
#
# Fairness: nginx runs as many worker processes as cong has event loops, each with its own SO_REUSEPORT
# listener as cong's loops have; both write an access log to a file (one write(2) per request each); nginx
# sends the same security headers and Cache-Control as cong; wrk sends no Accept-Encoding, so both send the
# identical uncompressed bytes.  wrk shares the machine's cores with the server under test: absolute
# figures are low on a small machine, ratios are what matters.  The server's CPU time per request is
# reported too: it is much less disturbed than req/s by anything else running on the machine.
#
# Settings (environment):
#   BENCH_DURATION=10s  BENCH_CONNECTIONS=64  BENCH_WRK_THREADS=2   wrk -d/-c/-t
#   BENCH_ROUNDS=3      every target is run this many times, interleaved; the median is reported
#   BENCH_LOOPS=2       cong --threads and nginx worker_processes
#   BENCH_WORKERS=      cong --workers (empty: cong's default, two per core)
#   BENCH_STARTUP_RUNS=10  hyperfine runs of the start-up measurement
#   BENCH_REPORT=FILE   also write the Markdown report there
#   BENCH_KEEP=1        keep the temporary directory (logs, configs, raw wrk output)
set -euo pipefail

DURATION=${BENCH_DURATION:-10s}
CONNS=${BENCH_CONNECTIONS:-64}
WRK_THREADS=${BENCH_WRK_THREADS:-2}
ROUNDS=${BENCH_ROUNDS:-3}
LOOPS=${BENCH_LOOPS:-2}
WORKERS=${BENCH_WORKERS:-}
STARTUP_RUNS=${BENCH_STARTUP_RUNS:-10}

# targets
T_RATIO=0.8      # cong cached article ≥ 0.8 × nginx serving the same bytes
T_UNCACHED=3000  # cong uncached article ≥ 3000 req/s
T_STARTUP=200    # ms from exec to the first /healthz answer
T_RSS=64         # MB peak RSS of a cong process after the load

cd "$(dirname "$0")/.."
ROOT=$PWD
CONG=$ROOT/build/cong

SAY_TAG=bench
# shellcheck source-path=SCRIPTDIR source=lib.sh
source bench/lib.sh

# ---- 1. tools -------------------------------------------------------------------------------------
NGINX=$(command -v nginx || true)
[ -n "$NGINX" ] || [ ! -x /usr/sbin/nginx ] || NGINX=/usr/sbin/nginx
if ! ./scripts/deps.sh --check-bench || [ -z "$NGINX" ] || ! command -v wrk >/dev/null ||
	! command -v hyperfine >/dev/null || ! command -v curl >/dev/null; then
	say "installing benchmark tools (nginx-light wrk hyperfine)"
	./scripts/deps.sh bench
	NGINX=$(command -v nginx || echo /usr/sbin/nginx)
fi
for t in wrk hyperfine curl awk; do command -v "$t" >/dev/null || die "$t not found"; done
[ -x "$NGINX" ] || die "nginx not found"

# ---- 2. build, fresh demo data --------------------------------------------------------------------
say "building"
make --no-print-directory all >&2
[ -x "$CONG" ] || die "$CONG was not built"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/cong-bench.XXXXXX")
chmod 755 "$TMP" # nginx's workers may run as another user and must read www/
say "working in $TMP"
# our own copy of the binary: others may rebuild build/cong while the benchmark runs
cp "$CONG" "$TMP/cong"
CONG=$TMP/cong
"$CONG" init --data "$TMP/data" --demo >"$TMP/init.log" 2>&1 || { cat "$TMP/init.log" >&2; die "cong init failed"; }
# One copy of the data per process: a cong invalidates its page cache when another connection commits to
# its database (the other cong's page-view flushes would do that every second or so).
cp -a "$TMP/data" "$TMP/data-cached"
cp -a "$TMP/data" "$TMP/data-uncached"
cp -a "$TMP/data" "$TMP/data-startup"

# start_cong NAME DATA EXTRA-ARGS… → sets PORT and PID; retries on another port when the port was taken
start_cong() {
	local name=$1 data=$2 try
	shift 2
	local wargs=()
	[ -z "$WORKERS" ] || wargs=(--workers "$WORKERS")
	for try in 1 2 3 4 5; do
		free_port
		"$CONG" serve --data "$data" --listen "127.0.0.1:$PORT" --threads "$LOOPS" "${wargs[@]}" \
			--access_log "$TMP/$name-access.log" "$@" >"$TMP/$name.out" 2>&1 &
		PID=$!
		if wait_ready "$PID" "$PORT" /healthz; then
			say "$name: pid $PID on 127.0.0.1:$PORT"
			return 0
		fi
		stop_pids "$PID"
		say "$name did not start on port $PORT (try $try): $(tail -n 1 "$TMP/$name.out")"
	done
	die "cannot start $name"
}

# ---- 3. servers -------------------------------------------------------------------------------------
start_cong cong-cached "$TMP/data-cached"
CACHED_PORT=$PORT CACHED_PID=$PID
start_cong cong-uncached "$TMP/data-uncached" --page_cache off
UNCACHED_PORT=$PORT UNCACHED_PID=$PID

# the pages: the home page, and the first article it links to, exactly as cong sends them (no gzip asked)
mkdir -p "$TMP/www"
curl -fsS -o "$TMP/www/index.html" "http://127.0.0.1:$CACHED_PORT/" || die "cannot fetch the home page"
ARTICLE=$(grep -o 'href="/tin-tuc/[^"#?]*"' "$TMP/www/index.html" | head -n 1 | sed 's/^href="//; s/"$//')
[ -n "$ARTICLE" ] || die "no article link on the home page"
curl -fsS -o "$TMP/www/article.html" "http://127.0.0.1:$CACHED_PORT$ARTICLE" || die "cannot fetch $ARTICLE"
chmod -R a+rX "$TMP/www"
ARTICLE_BYTES=$(wc -c <"$TMP/www/article.html")
HOME_BYTES=$(wc -c <"$TMP/www/index.html")
say "article $ARTICLE: $ARTICLE_BYTES bytes; home: $HOME_BYTES bytes"

# nginx: its own prefix and config; temp paths inside the prefix (Debian's point at /var/lib/nginx)
NGX=$TMP/nginx
mkdir -p "$NGX/logs" "$NGX/tmp"
NGINX_V=$("$NGINX" -V 2>&1)
temp_paths="client_body_temp_path $NGX/tmp/body;"
for m in proxy fastcgi uwsgi scgi; do
	case "$NGINX_V" in *"--without-http_${m}_module"*) ;; *) temp_paths="$temp_paths ${m}_temp_path $NGX/tmp/$m;" ;; esac
done
user_line=
[ "$(id -u)" != 0 ] || user_line="user $(id -un) $(id -gn);"
start_nginx() {
	local try
	for try in 1 2 3 4 5; do
		free_port
		cat >"$NGX/nginx.conf" <<EOF
$user_line
daemon off;
master_process on;
worker_processes $LOOPS;
pid $NGX/nginx.pid;
error_log $NGX/logs/error.log warn;
events { worker_connections 4096; }
http {
	$temp_paths
	types { text/html html; }
	default_type text/html;
	charset utf-8;
	server_tokens off;
	sendfile on;
	tcp_nopush on;
	tcp_nodelay on;
	keepalive_timeout 65s;
	keepalive_requests 1000000; # h2o does not cap requests per connection either
	open_file_cache max=100 inactive=60s;
	access_log $NGX/logs/access.log combined;
	server {
		# one listening socket per worker, as cong has one per loop (SO_REUSEPORT): the kernel spreads the
		# connections evenly; without it one nginx worker often takes most of wrk's 64 connections
		listen 127.0.0.1:$PORT reuseport;
		root $TMP/www;
		index index.html;
		# the headers cong sends with every page
		add_header Content-Security-Policy "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";
		add_header X-Content-Type-Options nosniff;
		add_header Referrer-Policy strict-origin-when-cross-origin;
		add_header X-Frame-Options DENY;
		add_header Cache-Control "public, max-age=60";
	}
}
EOF
		"$NGINX" -t -q -c "$NGX/nginx.conf" -p "$NGX/" 2>"$NGX/test.out" || { cat "$NGX/test.out" >&2; die "nginx config rejected"; }
		"$NGINX" -c "$NGX/nginx.conf" -p "$NGX/" >"$NGX/nginx.out" 2>&1 &
		PID=$!
		if wait_ready "$PID" "$PORT" /index.html; then
			say "nginx: pid $PID on 127.0.0.1:$PORT"
			return 0
		fi
		stop_tree "$PID"
		say "nginx did not start on port $PORT (try $try): $(tail -n 2 "$NGX/logs/error.log" 2>/dev/null)"
	done
	die "cannot start nginx"
}
start_nginx
NGINX_PORT=$PORT NGINX_PID=$PID

# the same bytes everywhere?
check_same() { # url reference-file label
	local got=$TMP/check.html
	curl -fsS -o "$got" "$1" || die "cannot fetch $1"
	cmp -s "$got" "$2" || say "warning: $3 differs from the saved page ($(wc -c <"$got") vs $(wc -c <"$2") bytes)"
}
check_same "http://127.0.0.1:$NGINX_PORT/article.html" "$TMP/www/article.html" "nginx article"
check_same "http://127.0.0.1:$NGINX_PORT/" "$TMP/www/index.html" "nginx home"
check_same "http://127.0.0.1:$UNCACHED_PORT$ARTICLE" "$TMP/www/article.html" "cong uncached article"
check_same "http://127.0.0.1:$UNCACHED_PORT/" "$TMP/www/index.html" "cong uncached home"
check_same "http://127.0.0.1:$CACHED_PORT$ARTICLE" "$TMP/www/article.html" "cong cached article"

# ---- 4. load ----------------------------------------------------------------------------------------
NAMES=("nginx article (static)" "cong article cached" "cong article uncached"
	"nginx home (static)" "cong home cached" "cong home uncached")
KEYS=(ngx_article cached_article uncached_article ngx_home cached_home uncached_home)
TARGET_PIDS=("$NGINX_PID" "$CACHED_PID" "$UNCACHED_PID" "$NGINX_PID" "$CACHED_PID" "$UNCACHED_PID")
URLS=("http://127.0.0.1:$NGINX_PORT/article.html" "http://127.0.0.1:$CACHED_PORT$ARTICLE"
	"http://127.0.0.1:$UNCACHED_PORT$ARTICLE" "http://127.0.0.1:$NGINX_PORT/"
	"http://127.0.0.1:$CACHED_PORT/" "http://127.0.0.1:$UNCACHED_PORT/")

mkdir -p "$TMP/wrk"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
say "warming up (2 s per target)"
for i in "${!URLS[@]}"; do
	run_bg wrk -t"$WRK_THREADS" -c"$CONNS" -d2s "${URLS[$i]}" >/dev/null
done
BAD=
for r in $(seq "$ROUNDS"); do
	for i in "${!URLS[@]}"; do
		out=$TMP/wrk/${KEYS[$i]}.$r.txt
		say "round $r/$ROUNDS: ${NAMES[$i]}"
		c0=$(cpu_ticks "${TARGET_PIDS[$i]}")
		run_bg wrk -t"$WRK_THREADS" -c"$CONNS" -d"$DURATION" --latency "${URLS[$i]}" >"$out"
		c1=$(cpu_ticks "${TARGET_PIDS[$i]}")
		rps=$(awk '/^Requests\/sec:/ { print $2 }' "$out")
		nreq=$(awk '/ requests in / { print $1 }' "$out")
		# server CPU per request: less sensitive than req/s to whatever else runs on the machine
		awk -v t=$((c1 - c0)) -v hz="$CLK_TCK" -v n="$nreq" 'BEGIN { printf "%.1f\n", (n > 0) ? t / hz / n * 1e6 : 0 }' \
			>>"$TMP/wrk/${KEYS[$i]}.cpu"
		p99=$(awk '$1 == "99%" { print $2 }' "$out")
		[ -n "$rps" ] && [ -n "$p99" ] || { cat "$out" >&2; die "cannot parse wrk output"; }
		echo "$rps" >>"$TMP/wrk/${KEYS[$i]}.rps"
		to_ms "$p99" >>"$TMP/wrk/${KEYS[$i]}.p99"
		if grep -q -e 'Non-2xx' -e 'Socket errors' "$out"; then
			BAD="$BAD ${NAMES[$i]} (round $r: $(grep -e 'Non-2xx' -e 'Socket errors' "$out" | tr -s ' ' | tr '\n' ';'))"
		fi
		printf '%s\t%s req/s\tp99 %s\t%s µs CPU/req\n' "${NAMES[$i]}" "$rps" "$p99" "$(tail -n 1 "$TMP/wrk/${KEYS[$i]}.cpu")" >&2
		# keep the access logs from growing into gigabytes (both are opened O_APPEND)
		: >"$TMP/cong-cached-access.log"
		: >"$TMP/cong-uncached-access.log"
		: >"$NGX/logs/access.log"
	done
done
declare -A RPS P99 CPUREQ SPREAD
for k in "${KEYS[@]}"; do
	RPS[$k]=$(median <"$TMP/wrk/$k.rps")
	SPREAD[$k]=$(sort -g "$TMP/wrk/$k.rps" | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%d–%d", lo + 0.5, hi + 0.5 }')
	P99[$k]=$(median <"$TMP/wrk/$k.p99")
	CPUREQ[$k]=$(median <"$TMP/wrk/$k.cpu")
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- 6. peak RSS after the load ----------------------------------------------------------------------
hwm_mb() { awk '/^VmHWM:/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }
RSS_CACHED=$(hwm_mb "$CACHED_PID")
RSS_UNCACHED=$(hwm_mb "$UNCACHED_PID")
RSS_NGINX=0
for p in $NGINX_PID $(cat "/proc/$NGINX_PID/task/$NGINX_PID/children" 2>/dev/null); do
	RSS_NGINX=$(awk -v t="$RSS_NGINX" '/^VmHWM:/ { t += $2 / 1024 } END { printf "%.1f", t }' "/proc/$p/status")
done

# stop the load servers before timing start-up, so they do not compete for the cores
stop_tree "$CACHED_PID" "$UNCACHED_PID" "$NGINX_PID"

# ---- 5. start-up ------------------------------------------------------------------------------------
say "start-up: $STARTUP_RUNS runs of exec → first 200 from /healthz"
STARTUP_OK=0
for try in 1 2 3; do
	free_port
	: >"$TMP/startup.us"
	cmd=$(printf 'sh %q %q %q %q %q' "$ROOT/bench/startup.sh" "$CONG" "$TMP/data-startup" "$PORT" "$TMP/startup.us")
	if run_bg hyperfine --style basic --warmup 2 --runs "$STARTUP_RUNS" --export-json "$TMP/startup.json" "$cmd" \
		>"$TMP/hyperfine.out" 2>&1; then
		STARTUP_OK=1
		break
	fi
	cat "$TMP/hyperfine.out" >&2
done
[ "$STARTUP_OK" = 1 ] || die "start-up measurement failed"
# the wrapper appends every run, warm-ups included: keep the last STARTUP_RUNS
STARTUP_MS=$(tail -n "$STARTUP_RUNS" "$TMP/startup.us" | awk '{ printf "%.1f\n", $1 / 1000 }' | median |
	awk '{ printf "%.1f", $1 }')
STARTUP_MIN=$(tail -n "$STARTUP_RUNS" "$TMP/startup.us" | sort -n | head -n 1 | awk '{ printf "%.1f", $1 / 1000 }')
STARTUP_MAX=$(tail -n "$STARTUP_RUNS" "$TMP/startup.us" | sort -n | tail -n 1 | awk '{ printf "%.1f", $1 / 1000 }')
CYCLE_MS=$(awk '/"median":/ { gsub(/[^0-9.e-]/, "", $2); printf "%.1f", $2 * 1000; exit }' "$TMP/startup.json")

# ---- 7. report --------------------------------------------------------------------------------------
verdict() { awk -v a="$1" -v op="$2" -v b="$3" 'BEGIN {
	if (a !~ /^[0-9.]+$/) { print "n/a"; exit }
	ok = (op == ">=") ? (a + 0 >= b + 0) : (a + 0 <= b + 0); print ok ? "**met**" : "**missed**" }'; }

R_ARTICLE=$(ratio "${RPS[cached_article]}" "${RPS[ngx_article]}")
RSS_MAX=$(awk -v a="$RSS_CACHED" -v b="$RSS_UNCACHED" 'BEGIN { m = (a > b) ? a : b; print m }')
CPU=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)

report() {
	echo "## Cổng benchmark — $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo
	echo "Machine: $(nproc) cores, ${CPU:-unknown CPU}, Linux $(uname -r).  cong $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$ROOT" diff --quiet -- src 2>/dev/null || echo ' (+ uncommitted src changes)')."
	echo "Load average before / after: $LOAD_BEFORE / $LOAD_AFTER (anything else running on the machine skews req/s; CPU per request much less)."
	echo "Load: \`wrk -t$WRK_THREADS -c$CONNS -d$DURATION --latency\`, median of $ROUNDS interleaved rounds; cong --threads $LOOPS${WORKERS:+ --workers $WORKERS}, nginx worker_processes $LOOPS; access logs to files on both."
	echo "Pages: article \`$ARTICLE\` ($ARTICLE_BYTES bytes), home \`/\` ($HOME_BYTES bytes); nginx serves cong's bytes from .html files."
	echo
	echo "| target | req/s | (rounds: min–max) | p99 latency | vs nginx, same bytes | server CPU per request |"
	echo "|---|---:|---:|---:|---:|---:|"
	row() { # label key nginx-key
		echo "| $1 | $(fmt_int "${RPS[$2]}") | ${SPREAD[$2]} | ${P99[$2]} ms | $(ratio "${RPS[$2]}" "${RPS[$3]}") | ${CPUREQ[$2]} µs |"
	}
	row "nginx article (static)" ngx_article ngx_article
	row "cong article cached" cached_article ngx_article
	row "cong article uncached" uncached_article ngx_article
	row "nginx home (static)" ngx_home ngx_home
	row "cong home cached" cached_home ngx_home
	row "cong home uncached" uncached_home ngx_home
	echo
	echo "| measure | value | target | |"
	echo "|---|---:|---:|---|"
	echo "| cong cached article / nginx same bytes | $R_ARTICLE× | ≥ $T_RATIO× | $(verdict "$R_ARTICLE" ">=" "$T_RATIO") |"
	echo "| same, by server CPU per request (nginx µs / cong µs) | $(ratio "${CPUREQ[ngx_article]}" "${CPUREQ[cached_article]}")× | ≥ $T_RATIO× | $(verdict "$(ratio "${CPUREQ[ngx_article]}" "${CPUREQ[cached_article]}")" ">=" "$T_RATIO") |"
	echo "| cong uncached article | $(fmt_int "${RPS[uncached_article]}") req/s | ≥ $T_UNCACHED req/s | $(verdict "${RPS[uncached_article]}" ">=" "$T_UNCACHED") |"
	echo "| start-up, exec → /healthz 200 (median of $STARTUP_RUNS; min $STARTUP_MIN, max $STARTUP_MAX) | $STARTUP_MS ms | ≤ $T_STARTUP ms | $(verdict "$STARTUP_MS" "<=" "$T_STARTUP") |"
	echo "| peak RSS (VmHWM) cong cached / uncached | $RSS_CACHED / $RSS_UNCACHED MB | ≤ $T_RSS MB | $(verdict "$RSS_MAX" "<=" "$T_RSS") |"
	echo
	echo "For reference: hyperfine median of the whole start → ready → kill cycle (includes curl polling) $CYCLE_MS ms; nginx master + workers peak RSS $RSS_NGINX MB."
	if [ -n "$BAD" ]; then
		echo
		echo "**Warning: errors during the load:**$BAD"
	fi
}
report | tee ${BENCH_REPORT:+"$BENCH_REPORT"}
