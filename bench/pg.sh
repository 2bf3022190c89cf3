#!/usr/bin/env bash
# Cổng on PostgreSQL, one and two servers: `make bench-pg` (or ./bench/pg.sh from the source tree).
#
# Three pages, loaded with wrk, on fresh demo portals:
#   cached article    the page cache on (the default)
#   uncached article  --page_cache off: every request is rendered, so it runs the page's queries
#   search            /tim-kiem?q=… rotating over a few queries, --page_cache off, so every request searches
# four ways:
#   SQLite            one `cong serve` on its own copy of an SQLite demo portal   (--threads 2, 4 workers)
#   PG                one `cong serve` on a PostgreSQL demo portal               (--threads 2, 4 workers)
#   PG via nginx      the same server behind nginx (proxy, keep-alive upstream), to see the hop's cost
#   PG ×2 via nginx   two `cong serve` on the same data directory and database, on two ports, behind nginx
#                     (--threads 1 --workers 2 each: together the same loops and workers as one server)
# PostgreSQL is a private server (scripts/pg.sh) in BENCH_PG_DIR on BENCH_PG_PORT, removed on exit.
# Every process, wrk included, shares the machine's cores: on 2 cores, two servers cannot be faster than
# one; what this shows is what PostgreSQL costs, what the nginx hop costs and that a second server costs
# little.  CPU time per request is given per component (cong, PostgreSQL, nginx) from /proc.
# Then PostgreSQL is restarted with pg_stat_statements, and one server alone, under the same load, gives
# the statements each uncached page runs and their planning + execution time inside PostgreSQL.
#
# Settings (environment):
#   BENCH_DURATION=10s  BENCH_CONNECTIONS=64  BENCH_WRK_THREADS=2   wrk -d/-c/-t
#   BENCH_ROUNDS=3      every target is run this many times, interleaved; the median is reported
#   BENCH_PG_DIR=/tmp/cong-pg-bench  BENCH_PG_PORT=25400   the private PostgreSQL (not the tests' one)
#   BENCH_REPORT=FILE   also write the Markdown report there
#   BENCH_KEEP=1        keep the temporary directory (logs, configs, raw wrk output)
set -euo pipefail

DURATION=${BENCH_DURATION:-10s}
CONNS=${BENCH_CONNECTIONS:-64}
WRK_THREADS=${BENCH_WRK_THREADS:-2}
ROUNDS=${BENCH_ROUNDS:-3}
export CONG_PG_DIR=${BENCH_PG_DIR:-/tmp/cong-pg-bench}
export CONG_PG_PORT=${BENCH_PG_PORT:-25400}
QUERIES=("giao+thong" "chuyen+doi+so" "d%E1%BB%8Bch+v%E1%BB%A5+c%C3%B4ng" "du+lich") # dịch vụ công

cd "$(dirname "$0")/.."
ROOT=$PWD
CONG=$ROOT/build/cong

SAY_TAG=bench-pg
# shellcheck source-path=SCRIPTDIR source=lib.sh
source bench/lib.sh

unq() { printf '%b' "$(echo "$1" | sed 's/%/\\x/g')" | tr + ' '; } # URL-encoded query → text

# ---- tools, binary, PostgreSQL, demo portals ------------------------------------------------------
./scripts/deps.sh --check-bench || ./scripts/deps.sh bench
./scripts/deps.sh --check-test || ./scripts/deps.sh test # postgresql-15, psql
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
for t in wrk curl psql awk "$NGINX"; do command -v "$t" >/dev/null || die "$t not found"; done
[ -x "$CONG" ] || make --no-print-directory all >&2
[ -x "$CONG" ] || die "$CONG was not built"

case "$CONG_PG_DIR:$CONG_PG_PORT" in /tmp/cong-pg:* | *:25432) die "BENCH_PG_DIR/PORT must not be the tests' server (/tmp/cong-pg:25432)" ;; esac
port_listening "$CONG_PG_PORT" && die "port $CONG_PG_PORT is taken: choose another BENCH_PG_PORT"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/cong-bench-pg.XXXXXX")
chmod 755 "$TMP"
say "working in $TMP"
cp "$CONG" "$TMP/cong" # others may rebuild build/cong meanwhile
CONG=$TMP/cong
PG_STARTED=1
PG_URL=$(./scripts/pg.sh start)
PG_DB=$(./scripts/pg.sh createdb bench)
PSQL=(psql -X -q -A -t -v ON_ERROR_STOP=1 "${PG_URL}postgres")
say "PostgreSQL $("${PSQL[@]}" -c 'SHOW server_version') at $PG_URL ($CONG_PG_DIR)"
init() { "$CONG" init --data "$@" --demo >"$TMP/init-$(basename "$1").log" 2>&1 || { cat "$TMP/init-$(basename "$1").log" >&2; die "cong init $* failed"; }; }
init "$TMP/sqlite"
init "$TMP/pg" --db "$PG_DB"
# SQLite: a copy per process (a cong drops its page cache when another connection commits to its file)
cp -a "$TMP/sqlite" "$TMP/sqlite-uncached"

# ---- servers ------------------------------------------------------------------------------------------
start_cong() { # NAME DATA THREADS WORKERS EXTRA… → PORT, PID
	local name=$1 data=$2 threads=$3 workers=$4 try
	shift 4
	for try in 1 2 3 4 5; do
		free_port
		"$CONG" serve --data "$data" --listen "127.0.0.1:$PORT" --threads "$threads" --workers "$workers" \
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
declare -A P H # server name → port, pid
for s in "sq-c $TMP/sqlite 2 4" "sq-u $TMP/sqlite-uncached 2 4 --page_cache off" \
	"pg-c $TMP/pg 2 4" "pg-u $TMP/pg 2 4 --page_cache off" \
	"pgA-c $TMP/pg 1 2" "pgB-c $TMP/pg 1 2" "pgA-u $TMP/pg 1 2 --page_cache off" "pgB-u $TMP/pg 1 2 --page_cache off"; do
	read -r -a a <<<"$s"
	start_cong "${a[@]}"
	P[${a[0]}]=$PORT H[${a[0]}]=$PID
done

# nginx as the load balancer: worker_processes 2, a reuseport listener per worker (as cong's loops), one
# server block per upstream, keep-alive connections to the upstreams, an access log (buffered, as usual)
NGX=$TMP/nginx
mkdir -p "$NGX/logs" "$NGX/tmp"
user_line=
[ "$(id -u)" != 0 ] || user_line="user $(id -un) $(id -gn);"
ngx_block() { # name port servers…
	local name=$1 port=$2 s
	shift 2
	printf '\tupstream %s {\n' "$name"
	for s in "$@"; do printf '\t\tserver 127.0.0.1:%s;\n' "${P[$s]}"; done
	printf '\t\tkeepalive 64;\n\t}\n\tserver {\n\t\tlisten 127.0.0.1:%s reuseport;\n' "$port"
	printf '\t\tlocation / { proxy_pass http://%s; }\n\t}\n' "$name"
}
for try in 1 2 3 4 5; do
	free_port; NP1C=$PORT; free_port; NP1U=$PORT; free_port; NP2C=$PORT; free_port; NP2U=$PORT
	{
		cat <<EOF
$user_line
daemon off;
worker_processes 2;
pid $NGX/nginx.pid;
error_log $NGX/logs/error.log warn;
events { worker_connections 4096; }
http {
	client_body_temp_path $NGX/tmp/body; proxy_temp_path $NGX/tmp/proxy; fastcgi_temp_path $NGX/tmp/fastcgi;
	uwsgi_temp_path $NGX/tmp/uwsgi; scgi_temp_path $NGX/tmp/scgi;
	server_tokens off;
	keepalive_timeout 65s;
	keepalive_requests 1000000;
	access_log $NGX/logs/access.log combined buffer=64k flush=1s;
	proxy_http_version 1.1;
	proxy_set_header Connection "";
	proxy_set_header Host \$host;
	proxy_set_header X-Forwarded-For \$remote_addr;
	proxy_buffer_size 16k;
	proxy_buffers 16 16k;
EOF
		ngx_block pg1c "$NP1C" pg-c
		ngx_block pg1u "$NP1U" pg-u
		ngx_block pg2c "$NP2C" pgA-c pgB-c
		ngx_block pg2u "$NP2U" pgA-u pgB-u
		echo "}"
	} >"$NGX/nginx.conf"
	"$NGINX" -t -q -c "$NGX/nginx.conf" -p "$NGX/" 2>"$NGX/test.out" || { cat "$NGX/test.out" >&2; die "nginx config rejected"; }
	"$NGINX" -c "$NGX/nginx.conf" -p "$NGX/" >"$NGX/nginx.out" 2>&1 &
	NGINX_PID=$!
	if wait_ready "$NGINX_PID" "$NP2U" /healthz; then break; fi
	stop_tree "$NGINX_PID"
	NGINX_PID=
	say "nginx did not start (try $try): $(tail -n 2 "$NGX/logs/error.log" 2>/dev/null)"
done
[ -n "$NGINX_PID" ] || die "cannot start nginx"
say "nginx: pid $NGINX_PID; ports $NP1C $NP1U $NP2C $NP2U"
PG_PID=$(head -n 1 "$CONG_PG_DIR/data/postmaster.pid")

# ---- the pages, and a check that every way serves them -----------------------------------------------
ARTICLE=$(curl -fsS "http://127.0.0.1:${P[sq-c]}/" | grep -o 'href="/tin-tuc/[^"#?]*"' | head -n 1 | sed 's/^href="//; s/"$//') || true
[ -n "$ARTICLE" ] || die "no article link on the home page"
{
	echo 'local qs = {'
	for q in "${QUERIES[@]}"; do echo "  \"/tim-kiem?q=$q\","; done
	echo '}'
	echo 'local i = 0'
	echo 'request = function() i = i + 1; return wrk.format("GET", qs[(i % #qs) + 1]) end'
} >"$TMP/search.lua"

SETUPS=(sq pg pg1 pg2)
declare -A SETUP_NAME=([sq]="SQLite, 1 server" [pg]="PostgreSQL, 1 server" [pg1]="PostgreSQL, 1 server via nginx" [pg2]="PostgreSQL, 2 servers via nginx")
PAGES=(cached uncached search)
declare -A PAGE_NAME=([cached]="article, cached" [uncached]="article, uncached" [search]="search, uncached")
declare -A URL CPIDS USES_PG USES_NGX
for k in sq pg pg1 pg2; do
	for page in "${PAGES[@]}"; do
		s=$([ "$page" = cached ] && echo c || echo u)
		case $k in
		sq | pg) base="http://127.0.0.1:${P[$k-$s]}" pids=${H[$k-$s]} ngx= ;;
		pg1) base="http://127.0.0.1:$([ "$s" = c ] && echo "$NP1C" || echo "$NP1U")" pids=${H[pg-$s]} ngx=1 ;;
		pg2) base="http://127.0.0.1:$([ "$s" = c ] && echo "$NP2C" || echo "$NP2U")" pids="${H[pgA-$s]} ${H[pgB-$s]}" ngx=1 ;;
		esac
		URL[$k.$page]=$base CPIDS[$k.$page]=$pids USES_NGX[$k.$page]=$ngx
		USES_PG[$k.$page]=$([ "$k" = sq ] || echo 1)
		if [ "$page" = search ]; then
			for q in "${QUERIES[@]}"; do curl -fsS -o /dev/null "$base/tim-kiem?q=$q" || die "$k: search for $q failed"; done
		else
			curl -fsS -o "$TMP/$k.$page.html" "$base$ARTICLE" || die "$k: cannot fetch $ARTICLE"
		fi
	done
done
for f in "$TMP"/*.html; do # the same bytes every way, for each database (media names are random per portal)
	ref=$TMP/$(case $(basename "$f") in sq.*) echo sq ;; *) echo pg ;; esac).uncached.html
	cmp -s "$f" "$ref" || say "warning: $(basename "$f") differs from $(basename "$ref")"
done
ARTICLE_BYTES=$(wc -c <"$TMP/pg.uncached.html")
# statistics, as autovacuum keeps them (it never analyzes tables under 50 rows, such as categories)
psql -X -q -v ON_ERROR_STOP=1 "$PG_DB" -c "VACUUM ANALYZE"
HITS=$(for q in "${QUERIES[@]}"; do printf '"%s" %s; ' "$(unq "$q")" "$(curl -fsS "http://127.0.0.1:${P[pg-u]}/tim-kiem?q=$q" | grep -o '[0-9][0-9.]* kết quả' | head -n 1 | cut -d' ' -f1)"; done)
say "article $ARTICLE ($ARTICLE_BYTES bytes); search hits ${HITS%; }"

# ---- load -------------------------------------------------------------------------------------------
per_req() { awk -v t="$1" -v n="$2" -v hz="$CLK_TCK" 'BEGIN { if (n > 0) printf "%.1f\n", t * 1e6 / hz / n; else print "nan" }'; }
wrk_run() { # target duration [--latency]
	local k=$1 d=$2
	shift 2
	if [ "${k#*.}" = search ]; then
		run_bg wrk -t"$WRK_THREADS" -c"$CONNS" -d"$d" "$@" -s "$TMP/search.lua" "${URL[$k]}"
	else
		run_bg wrk -t"$WRK_THREADS" -c"$CONNS" -d"$d" "$@" "${URL[$k]}$ARTICLE"
	fi
}
TARGETS=()
for page in "${PAGES[@]}"; do for k in "${SETUPS[@]}"; do TARGETS+=("$k.$page"); done; done
mkdir -p "$TMP/wrk"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
say "warming up (2 s per target)"
for t in "${TARGETS[@]}"; do wrk_run "$t" 2s >/dev/null; done
BAD=
for r in $(seq "$ROUNDS"); do
	for t in "${TARGETS[@]}"; do
		out=$TMP/wrk/$t.$r.txt
		say "round $r/$ROUNDS: ${SETUP_NAME[${t%%.*}]}, ${PAGE_NAME[${t#*.}]}"
		# shellcheck disable=SC2086 # CPIDS holds one or two pids
		c0=$(cpu_ticks ${CPIDS[$t]}) g0=$(cpu_ticks "$PG_PID") n0=$(cpu_ticks "$NGINX_PID") a0=$(cpu_ticks "${CPIDS[$t]%% *}")
		wrk_run "$t" "$DURATION" --latency >"$out"
		# shellcheck disable=SC2086
		c1=$(cpu_ticks ${CPIDS[$t]}) g1=$(cpu_ticks "$PG_PID") n1=$(cpu_ticks "$NGINX_PID") a1=$(cpu_ticks "${CPIDS[$t]%% *}")
		rps=$(awk '/^Requests\/sec:/ { print $2 }' "$out")
		nreq=$(awk '/ requests in / { print $1 }' "$out")
		p99=$(awk '$1 == "99%" { print $2 }' "$out")
		[ -n "$rps" ] && [ -n "$p99" ] || { cat "$out" >&2; die "cannot parse wrk output"; }
		echo "$rps" >>"$TMP/wrk/$t.rps"
		to_ms "$p99" >>"$TMP/wrk/$t.p99"
		per_req $((c1 - c0)) "$nreq" >>"$TMP/wrk/$t.cong"
		# a pair: the first server's share of the pair's CPU (both must work)
		[ "${t%%.*}" != pg2 ] || awk -v a=$((a1 - a0)) -v c=$((c1 - c0)) 'BEGIN { printf "%.0f\n", c ? 100 * a / c : 0 }' >>"$TMP/wrk/$t.share"
		if [ -n "${USES_PG[$t]}" ]; then per_req $((g1 - g0)) "$nreq"; else echo 0; fi >>"$TMP/wrk/$t.pg"
		if [ -n "${USES_NGX[$t]}" ]; then per_req $((n1 - n0)) "$nreq"; else echo 0; fi >>"$TMP/wrk/$t.ngx"
		if grep -q -e 'Non-2xx' -e 'Socket errors' "$out"; then
			BAD="$BAD $t (round $r: $(grep -e 'Non-2xx' -e 'Socket errors' "$out" | tr -s ' ' | tr '\n' ';'))"
		fi
		say "  $rps req/s, p99 $p99, CPU µs/req: cong $(tail -n 1 "$TMP/wrk/$t.cong"), PostgreSQL $(tail -n 1 "$TMP/wrk/$t.pg"), nginx $(tail -n 1 "$TMP/wrk/$t.ngx")"
		for f in "$TMP"/*-access.log; do : >"$f"; done
	done
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
declare -A RPS SPREAD P99 CC CG CN
for t in "${TARGETS[@]}"; do
	RPS[$t]=$(median <"$TMP/wrk/$t.rps")
	SPREAD[$t]=$(sort -g "$TMP/wrk/$t.rps" | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%d–%d", lo + 0.5, hi + 0.5 }')
	P99[$t]=$(median <"$TMP/wrk/$t.p99")
	CC[$t]=$(median <"$TMP/wrk/$t.cong")
	CG[$t]=$(median <"$TMP/wrk/$t.pg")
	CN[$t]=$(median <"$TMP/wrk/$t.ngx")
done

# ---- statements per page: pg_stat_statements on one server alone, under the same load -------------------
# PostgreSQL is restarted with the module loaded only now, so it cannot have slowed the load above.
stop_tree "$NGINX_PID" "${H[pg-c]}" "${H[pg-u]}" "${H[pgA-c]}" "${H[pgB-c]}" "${H[pgA-u]}" "${H[pgB-u]}"
"${PSQL[@]}" -c "ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'"
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
as_pg "$PG_BIN/pg_ctl" -D "$CONG_PG_DIR/data" -l "$CONG_PG_DIR/log" -w -t 60 -m fast restart >/dev/null
psql -X -q -v ON_ERROR_STOP=1 "$PG_DB" -c "CREATE EXTENSION pg_stat_statements"
start_cong probe "$TMP/pg" 2 4 --page_cache off
PROBE=http://127.0.0.1:$PORT
URL[probe.uncached]=$PROBE URL[probe.search]=$PROBE
QROWS=''
for page in uncached search; do
	wrk_run "probe.$page" 2s >/dev/null # every worker's connection prepares its statements
	psql -X -q "$PG_DB" -c "SELECT pg_stat_statements_reset()" >/dev/null
	wrk_run "probe.$page" 5s >"$TMP/wrk/probe.$page.txt"
	nreq=$(awk '/ requests in / { print $1 }' "$TMP/wrk/probe.$page.txt")
	# statement, calls per request, mean µs (planning + execution), µs per request; leaves out the module's own
	# queries and the servers' background ones (a few a second: < 0.01 per request)
	psql -X -A -t -F $'\t' "$PG_DB" -c "SELECT regexp_replace(query, '\s+', ' ', 'g'), calls::float8 / $nreq,
		(total_plan_time + total_exec_time) * 1000 / calls, (total_plan_time + total_exec_time) * 1000 / $nreq
		FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
		AND query !~* 'pg_stat_statements' ORDER BY 4 DESC" >"$TMP/stmts.$page.tsv"
	QROWS+=$(awk -F '\t' -v label="${PAGE_NAME[$page]}" '
		function q(s, w) { # the start of a statement, and the start of its WHERE clause
			w = index(s, " WHERE ")
			s = (w > 0 && w > 40) ? substr(s, 1, 36) " … " substr(s, w + 1, 40) : substr(s, 1, 80)
			gsub(/\|/, "\\|", s)
			return "`" s "…`"
		}
		function st(i) { return i ? sprintf("%.1f × %s %.0f µs", c[i], q(t[i]), m[i]) : "" }
		$2 >= 0.01 { n++; t[n] = $1; c[n] = $2; m[n] = $3; calls += $2; us += $4; if ($2 > c[rep]) rep = n }
		END { printf "| %s | %.1f | %.0f µs | %s | %s; %s; %s |\n", label, calls, us, st(rep), st(1), st(2), st(3) }' "$TMP/stmts.$page.tsv")$'\n'
done


# single-request latency with no load (sequential curl, median of 21), SQLite vs PostgreSQL
lat() { for _ in $(seq 21); do curl -fsS -o /dev/null -w '%{time_total}\n' "$1"; done | awk '{ print $1 * 1000 }' | median; }
LAT_SQ_A=$(lat "http://127.0.0.1:${P[sq-u]}$ARTICLE") LAT_PG_A=$(lat "$PROBE$ARTICLE")
LAT_SQ_S=$(lat "http://127.0.0.1:${P[sq-u]}/tim-kiem?q=${QUERIES[0]}") LAT_PG_S=$(lat "$PROBE/tim-kiem?q=${QUERIES[0]}")

# ---- report ---------------------------------------------------------------------------------------------
CPU=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
report() {
	echo "## Cổng on PostgreSQL, one and two servers — $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo
	echo "Machine: $(nproc) cores, ${CPU:-unknown CPU}, Linux $(uname -r); PostgreSQL $("${PSQL[@]}" -c 'SHOW server_version' | cut -d' ' -f1), $("$NGINX" -v 2>&1 | sed 's/.*: //').  cong $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$ROOT" diff --quiet -- src 2>/dev/null || echo ' (+ uncommitted src changes)')."
	echo "Load average before / after: $LOAD_BEFORE / $LOAD_AFTER.  All processes (wrk, nginx, cong, PostgreSQL) share the $(nproc) cores."
	echo "Load: \`wrk -t$WRK_THREADS -c$CONNS -d$DURATION --latency\`, median of $ROUNDS interleaved rounds.  One server: --threads 2 --workers 4; two servers: --threads 1 --workers 2 each; nginx worker_processes 2, upstream keepalive."
	echo "Pages: article \`$ARTICLE\` ($ARTICLE_BYTES bytes); search rotates over ${#QUERIES[@]} queries (${HITS%; } results)."
	echo
	echo "| page | setup | req/s | (rounds: min–max) | vs SQLite | p99 | CPU µs/req: cong | PostgreSQL | nginx | total |"
	echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"
	for page in "${PAGES[@]}"; do
		for k in "${SETUPS[@]}"; do
			t=$k.$page
			echo "| ${PAGE_NAME[$page]} | ${SETUP_NAME[$k]} | $(printf '%.0f' "${RPS[$t]}") | ${SPREAD[$t]} | $(ratio "${RPS[$t]}" "${RPS[sq.$page]}") | ${P99[$t]} ms | ${CC[$t]} | ${CG[$t]} | ${CN[$t]} | $(awk -v a="${CC[$t]}" -v b="${CG[$t]}" -v c="${CN[$t]}" 'BEGIN { printf "%.1f", a + b + c }') |"
		done
	done
	echo
	echo "PostgreSQL statements per request (pg_stat_statements, one server alone, \`wrk -c$CONNS -d5s\`; time = planning + execution inside PostgreSQL, without the round trips):"
	echo
	echo "| page | statements | time in PostgreSQL | most repeated (per request × statement, mean) | most time |"
	echo "|---|---:|---:|---|---|"
	printf '%s' "$QROWS"
	echo
	echo "One request at a time (curl, median of 21): uncached article SQLite $LAT_SQ_A ms, PostgreSQL $LAT_PG_A ms; search \"$(unq "${QUERIES[0]}")\" SQLite $LAT_SQ_S ms, PostgreSQL $LAT_PG_S ms."
	echo "Two servers: the first one's share of the pair's cong CPU, per round: $(for p in "${PAGES[@]}"; do printf '%s %s%%; ' "${PAGE_NAME[$p]}" "$(paste -sd / "$TMP/wrk/pg2.$p.share")"; done | sed 's/; $//')."
	if [ -n "$BAD" ]; then
		echo
		echo "**Warning: errors during the load:**$BAD"
	fi
}
report | tee ${BENCH_REPORT:+"$BENCH_REPORT"}
