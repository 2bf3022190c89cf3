#!/usr/bin/env bash
# Online public services under load: `make bench-dossier` (or ./bench/dossier.sh from the source tree).
#
# On a fresh demo portal (SQLite; then PostgreSQL too when it is installed, on a private server), measures
#   submissions   acknowledged dossier submissions per second through POST /api/v1/dossiers: multipart, two
#                 PDFs of BENCH_FILE_KB each, a fresh Idempotency-Key per request, with BENCH_CLIENTS
#                 concurrent clients (wrk + a Lua script that builds the bodies; only 201s count).  The
#                 procedures are one per agency with exactly two required documents, taken in turn, so no
#                 agency's daily sequence (9,999 codes) runs out.  Afterwards the rows are counted: every 201
#                 must have its row (at most one per connection more, cut off by the end of the run).
#                 What an acknowledgement costs: the syscalls of one short extra run counted with strace
#                 (fsync of each file, of the directory, of the database's commit), and the disk's own
#                 latency of a synced write (dd oflag=dsync).
#   lookup        the lookup page /tra-cuu-ho-so, which is a form posted with the pre-session CSRF pair
#                 (a cookie and its MAC), never cached:
#                   form       GET of the empty form (what a visitor first gets; sets the CSRF cookie)
#                   found      POST of a right code + last 4 phone digits, with one cookie and its token:
#                              successes are not counted by the throttle, so this is the real answer
#                   api        GET /api/v1/dossiers/{code}?phone_last4=…, the same lookup as JSON
#                   throttled  POST of wrong digits: misses are counted per address (20 free in 15 min, then
#                              doubling waits) and per code (5 free), so after the first ~20 every answer is
#                              the 429 page; this measures that refusal.  It runs last, because it blocks
#                              the address (and there is no setting to raise the limit: it is a constant).
# The documents stay on disk until the end (as in service; about 17 GB with the defaults here), in TMPDIR.
# On ext4 without a journal, creating files is slow for up to ~6 minutes after many files were deleted (its
# inode allocator skips recently freed inodes): leave that long between runs (docs/PERFORMANCE.md).
# Every figure is the median of BENCH_ROUNDS rounds (interleaved); the server's CPU time per request is
# given too (and PostgreSQL's), which is much less disturbed than req/s by whatever else runs on the machine.
# Prints a Markdown report.
#
# Settings (environment):
#   BENCH_DURATION=10s  BENCH_WRK_THREADS=2  BENCH_ROUNDS=3
#   BENCH_CLIENTS="1 8 32"   concurrent submitting clients (one wrk connection each), one measurement each
#   BENCH_CONNECTIONS=32     wrk connections for the lookup measurements
#   BENCH_FILE_KB=100        size of each of the two PDFs of a submission
#   BENCH_PG=auto            also on PostgreSQL: auto (when installed), 1, 0
#   BENCH_PG_DIR=/tmp/cong-pg-bench2  BENCH_PG_PORT=25460   the private PostgreSQL (scripts/pg.sh), stopped
#                            and removed at the end; never the tests' (/tmp/cong-pg, 25432)
#   BENCH_STRACE=1           count the syscalls of an acknowledgement with strace (0: skip)
#   BENCH_REPORT=FILE        also write the Markdown report there
#   BENCH_KEEP=1             keep the temporary directory (logs, scripts, raw wrk output)
set -euo pipefail

DURATION=${BENCH_DURATION:-10s}
WRK_THREADS=${BENCH_WRK_THREADS:-2}
ROUNDS=${BENCH_ROUNDS:-3}
CLIENTS=${BENCH_CLIENTS:-1 8 32}
CONNS=${BENCH_CONNECTIONS:-32}
FILE_KB=${BENCH_FILE_KB:-100}
WANT_PG=${BENCH_PG:-auto}
STRACE=${BENCH_STRACE:-1}
export CONG_PG_DIR=${BENCH_PG_DIR:-/tmp/cong-pg-bench2}
export CONG_PG_PORT=${BENCH_PG_PORT:-25460}

cd "$(dirname "$0")/.."
ROOT=$PWD
CONG=$ROOT/build/cong

SAY_TAG=bench-dossier
# shellcheck source-path=SCRIPTDIR source=lib.sh
source bench/lib.sh

# ---- 1. tools, binary --------------------------------------------------------------------------------
if ! command -v wrk >/dev/null || ! command -v curl >/dev/null; then
	say "installing benchmark tools"
	./scripts/deps.sh bench
fi
for t in wrk curl awk python3 dd; do command -v "$t" >/dev/null || die "$t not found"; done
case "$WANT_PG" in
auto) if ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1 && command -v psql >/dev/null; then WANT_PG=1; else WANT_PG=0; fi ;;
0 | 1) ;;
*) die "BENCH_PG is auto, 0 or 1 (got '$WANT_PG')" ;;
esac
[ "$STRACE" = 0 ] || command -v strace >/dev/null || { say "strace not found: syscall counts skipped"; STRACE=0; }

say "building"
make --no-print-directory all >&2
[ -x "$CONG" ] || die "$CONG was not built"

if [ "$WANT_PG" = 1 ]; then
	case "$CONG_PG_DIR:$CONG_PG_PORT" in /tmp/cong-pg:* | *:25432) die "BENCH_PG_DIR/PORT must not be the tests' server (/tmp/cong-pg:25432)" ;; esac
	port_listening "$CONG_PG_PORT" && die "port $CONG_PG_PORT is taken: choose another BENCH_PG_PORT"
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/cong-bench-dossier.XXXXXX")
chmod 755 "$TMP"
say "working in $TMP"
# the documents stay until the end: at most ~800 submissions/s here, two files each
secs=$(awk -v d="$DURATION" 'BEGIN { n = d + 0; if (d ~ /m$/) n *= 60; else if (d ~ /h$/) n *= 3600; print n }')
need_mb=$((secs * ROUNDS * $(echo "$CLIENTS" | wc -w) * (WANT_PG + 1) * 800 * 2 * FILE_KB / 1024))
free_mb=$(df -Pm "$TMP" | awk 'NR == 2 { print $4 }')
[ "$free_mb" -ge "$need_mb" ] || say "warning: $free_mb MB free in $TMP; the documents may take up to $need_mb MB (shorten BENCH_DURATION or set TMPDIR)"
cp "$CONG" "$TMP/cong" # others may rebuild build/cong while the benchmark runs
CONG=$TMP/cong

# ---- 2. the load scripts and the files -----------------------------------------------------------------
# Two PDFs' worth of incompressible bytes behind a PDF header (the portal checks the type by content).
PDF=$TMP/doc.pdf
{ printf '%%PDF-1.4\n%%\342\343\317\323\n'; head -c $((FILE_KB * 1024 - 24)) /dev/urandom; printf '\n%%%%EOF\n'; } >"$PDF"

cat >"$TMP/submit.lua" <<'EOF'
-- POST /api/v1/dossiers: multipart with two PDFs, a fresh Idempotency-Key per request; counts the 201s.
-- BENCH_PROCS = "code:doc,doc code:doc,doc …" (taken in turn), BENCH_PDF = the file, BENCH_RUN = a unique tag.
local boundary = "----cong-bench-7d1f0a9e3c5b"
local procs = {}
for spec in string.gmatch(os.getenv("BENCH_PROCS") or "", "[^ ]+") do
	local code, d1, d2 = string.match(spec, "^([^:]+):(%d+),(%d+)$")
	procs[#procs + 1] = { code = code, d1 = d1, d2 = d2 }
end
local run = os.getenv("BENCH_RUN") or "0"
local threads = {}
function setup(thread)
	thread:set("tid", #threads + 1)
	table.insert(threads, thread)
end
local function part(name, value)
	return "--" .. boundary .. "\r\nContent-Disposition: form-data; name=\"" .. name .. "\"\r\n\r\n" .. value .. "\r\n"
end
local function filepart(name, filename, data)
	return "--" .. boundary .. "\r\nContent-Disposition: form-data; name=\"" .. name .. "\"; filename=\"" ..
		filename .. "\"\r\nContent-Type: application/pdf\r\n\r\n" .. data .. "\r\n"
end
local bodies, n = {}, 0
function init(args)
	local f = assert(io.open(os.getenv("BENCH_PDF"), "rb"))
	local pdf = f:read("*a")
	f:close()
	for i, p in ipairs(procs) do
		bodies[i] = part("procedure_code", p.code) .. part("applicant_name", "Nguyễn Văn Bình") ..
			part("applicant_id", "040090123456") .. part("applicant_dob", "1990-05-12") ..
			part("applicant_phone", "0912 345 678") .. part("applicant_address", "Số 1 đường Quang Trung, TP Vinh") ..
			part("request", "Đề nghị giải quyết thủ tục (hồ sơ thử tải).") ..
			filepart(p.d1, "to-khai.pdf", pdf) .. filepart(p.d2, "giay-to-kem-theo.pdf", pdf) .. "--" .. boundary .. "--\r\n"
	end
	created, other = 0, 0
end
function request()
	n = n + 1
	return wrk.format("POST", "/api/v1/dossiers", {
		["Content-Type"] = "multipart/form-data; boundary=" .. boundary,
		["Idempotency-Key"] = string.format("bench-%s-t%d-%09d", run, tid, n),
	}, bodies[(n + tid) % #procs + 1])
end
function response(status, headers, body)
	if status == 201 then created = created + 1 else other = other + 1 end
end
function done(summary, latency, requests)
	local c, o = 0, 0
	for _, t in ipairs(threads) do
		c = c + t:get("created")
		o = o + t:get("other")
	end
	local e = summary.errors
	io.write(string.format("ok %d\nother %d\nsocket_errors %d\nseconds %.3f\np50 %.2f\np99 %.2f\n", c, o,
		e.connect + e.read + e.write + e.timeout, summary.duration / 1e6, latency:percentile(50) / 1000,
		latency:percentile(99) / 1000))
end
EOF

cat >"$TMP/page.lua" <<'EOF'
-- One request again and again (BENCH_METHOD, BENCH_BODY, BENCH_COOKIE); counts answers by status class.
wrk.method = os.getenv("BENCH_METHOD") or "GET"
if wrk.method == "POST" then
	wrk.body = os.getenv("BENCH_BODY")
	wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end
if (os.getenv("BENCH_COOKIE") or "") ~= "" then wrk.headers["Cookie"] = os.getenv("BENCH_COOKIE") end
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) s2xx, s429, sother = 0, 0, 0 end
function response(status, headers, body)
	if status >= 200 and status < 300 then s2xx = s2xx + 1 elseif status == 429 then s429 = s429 + 1 else sother = sother + 1 end
end
function done(summary, latency, requests)
	local a, b, c = 0, 0, 0
	for _, t in ipairs(threads) do
		a = a + t:get("s2xx"); b = b + t:get("s429"); c = c + t:get("sother")
	end
	local e = summary.errors
	io.write(string.format("ok %d\nthrottled %d\nother %d\nsocket_errors %d\nseconds %.3f\np50 %.2f\np99 %.2f\n", a, b, c,
		e.connect + e.read + e.write + e.timeout, summary.duration / 1e6, latency:percentile(50) / 1000,
		latency:percentile(99) / 1000))
end
EOF

# ---- helpers -------------------------------------------------------------------------------------------
# start_cong NAME DATA EXTRA-ARGS… → PORT, PID.  --api_rate_limit 0: the procedure API is read ~40 times
# below to find the documents; no measured path is subject to that limit.
start_cong() {
	local name=$1 data=$2
	shift 2
	for try in 1 2 3 4 5; do
		free_port
		"$CONG" serve --data "$data" --listen "127.0.0.1:$PORT" --access_log "$TMP/$name-access.log" \
			--api_rate_limit 0 "$@" >"$TMP/$name.out" 2>&1 &
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
val() { awk -v k="$1" '$1 == k { print $2 }' "$2"; } # key file → value of a done() line
mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }

# procedures KEY → "code:doc,doc …": per agency the first procedure with exactly two required documents
procedures() {
	python3 - "http://127.0.0.1:$PORT" <<'EOF'
import json, sys, urllib.request
base = sys.argv[1]
get = lambda p: json.load(urllib.request.urlopen(base + p))
codes, page, pages = [], 1, 1
while page <= pages:
    d = get(f"/api/v1/procedures?page={page}")
    pages = d["pages"]
    codes += [i["code"] for i in d["items"]]
    page += 1
seen, out = set(), []
for c in codes:
    p = get(f"/api/v1/procedures/{c}")
    req = [str(x["id"]) for x in p["documents"] if x["required"]]
    if len(req) == 2 and p["agency"]["code"] not in seen:
        seen.add(p["agency"]["code"])
        out.append(f"{c}:{req[0]},{req[1]}")
print(" ".join(out))
EOF
}

# db_count BACKEND DATA SQL → one number (sqlite3 CLI or psql; empty when neither is there)
db_count() {
	if [ "$1" = pg ]; then
		psql -X -q -A -t "$PG_DB" -c "$3" 2>/dev/null || true
	elif command -v sqlite3 >/dev/null; then
		sqlite3 "file:$2/cong.db?mode=ro" "$3" 2>/dev/null || true
	fi
}

# ---- 3. the disk: what a synced write costs here -------------------------------------------------------
dsync_ms() { # block-size count → ms per synced write (dd oflag=dsync: a write + its flush each)
	local s
	s=$(LC_ALL=C dd if=/dev/zero of="$TMP/dsync.probe" bs="$1" count="$2" oflag=dsync 2>&1 | awk '/copied/ { for (i = 1; i <= NF; i++) if ($i ~ /^s,?$/) print $(i - 1) }')
	rm -f "$TMP/dsync.probe"
	awk -v s="${s:-0}" -v n="$2" 'BEGIN { printf "%.2f", s * 1000 / n }'
}
say "disk: synced writes"
DSYNC_4K=$(dsync_ms 4k 500)
DSYNC_FILE=$(dsync_ms "${FILE_KB}k" 100)
say "synced write: 4 KB $DSYNC_4K ms, $FILE_KB KB $DSYNC_FILE ms"

# ---- 4. backends ----------------------------------------------------------------------------------------
BACKENDS=(sqlite)
PG_DB=''
if [ "$WANT_PG" = 1 ]; then
	PG_STARTED=1
	PG_URL=$(./scripts/pg.sh start)
	PG_DB=$(./scripts/pg.sh createdb bench)
	PG_PID=$(head -n 1 "$CONG_PG_DIR/data/postmaster.pid")
	PG_VERSION=$(psql -X -q -A -t "${PG_URL}postgres" -c 'SHOW server_version' | awk '{ print $1 }')
	say "PostgreSQL $PG_VERSION at $PG_URL ($CONG_PG_DIR)"
	BACKENDS+=(pg)
fi
declare -A DATA SPID SPORT PROCS CODE
for be in "${BACKENDS[@]}"; do
	DATA[$be]=$TMP/data-$be
	args=()
	[ "$be" = sqlite ] || args=(--db "$PG_DB")
	say "$be: cong init --demo"
	"$CONG" init --data "${DATA[$be]}" "${args[@]}" --demo >"$TMP/init-$be.log" 2>&1 ||
		{ cat "$TMP/init-$be.log" >&2; die "cong init ($be) failed"; }
	start_cong "cong-$be" "${DATA[$be]}"
	SPID[$be]=$PID SPORT[$be]=$PORT
	PROCS[$be]=$(procedures)
	[ -n "${PROCS[$be]}" ] || die "$be: no procedure with exactly two required documents"
	# one dossier to look up, with a known phone (…5678) and CCCD
	first=${PROCS[$be]%% *}
	d=${first#*:}
	CODE[$be]=$(curl -fsS -H "Idempotency-Key: bench-lookup-$be-000001" -F "procedure_code=${first%%:*}" \
		-F 'applicant_name=Trần Thị Hoa' -F applicant_id=040190654321 -F 'applicant_phone=0912 345 678' \
		-F 'applicant_address=Số 2 Lê Lợi, TP Vinh' -F 'request=Tra cứu thử tải' \
		-F "${d%%,*}=@$PDF;type=application/pdf" -F "${d##*,}=@$PDF;type=application/pdf" \
		"http://127.0.0.1:$PORT/api/v1/dossiers" | python3 -c 'import json, sys; print(json.load(sys.stdin)["code"])') ||
		die "$be: the lookup dossier could not be submitted"
	say "$be: $(echo "${PROCS[$be]}" | wc -w) procedures of as many agencies; lookup dossier ${CODE[$be]}"
done
NPROCS=$(echo "${PROCS[sqlite]}" | wc -w)

# ---- 5. submissions -------------------------------------------------------------------------------------
mkdir -p "$TMP/out"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
BAD=''
# measure KEY BACKEND CONNECTIONS SCRIPT URL [ENV…]: one wrk run; appends rate, p99, CPU per answer
measure() {
	local key=$1 be=$2 c=$3 script=$4 url=$5 out c0 c1 p0=0 p1=0 ok sec t b
	shift 5
	out=$TMP/out/$key.$r.txt
	c0=$(cpu_ticks "${SPID[$be]}")
	[ "$be" != pg ] || p0=$(cpu_ticks "$PG_PID")
	run_bg env "$@" wrk -t"$([ "$c" -lt "$WRK_THREADS" ] && echo "$c" || echo "$WRK_THREADS")" -c"$c" -d"$DURATION" \
		-s "$script" "$url" >"$out" 2>&1 || { cat "$out" >&2; die "wrk failed ($key)"; }
	c1=$(cpu_ticks "${SPID[$be]}")
	[ "$be" != pg ] || p1=$(cpu_ticks "$PG_PID")
	ok=$(val ok "$out")
	sec=$(val seconds "$out")
	[ -n "$ok" ] && [ -n "$sec" ] || { cat "$out" >&2; die "cannot read the wrk output ($key)"; }
	t=$(awk -v a="$(val ok "$out")" -v b="$(val throttled "$out")" -v c="$(val other "$out")" 'BEGIN { print a + b + c }')
	awk -v n="$ok" -v s="$sec" 'BEGIN { printf "%.1f\n", n / s }' >>"$TMP/out/$key.rate"
	awk -v n="$t" -v s="$sec" 'BEGIN { printf "%.1f\n", n / s }' >>"$TMP/out/$key.all"
	val p50 "$out" >>"$TMP/out/$key.p50"
	val p99 "$out" >>"$TMP/out/$key.p99"
	awk -v d=$((c1 - c0)) -v hz="$CLK_TCK" -v n="$t" 'BEGIN { printf "%.0f\n", (n > 0) ? d / hz / n * 1e6 : 0 }' >>"$TMP/out/$key.cpu"
	awk -v d=$((p1 - p0)) -v hz="$CLK_TCK" -v n="$t" 'BEGIN { printf "%.0f\n", (n > 0) ? d / hz / n * 1e6 : 0 }' >>"$TMP/out/$key.pgcpu"
	echo "$ok" >>"$TMP/out/$key.n"
	if [ "$(val socket_errors "$out")" != 0 ] || { [ "$key" = "${key#look-thr}" ] && [ "$(val other "$out")" != 0 ]; }; then
		BAD="$BAD $key (round $r: $(grep -E '^(other|socket_errors)' "$out" | tr '\n' ' '))"
	fi
	say "  $key: $(tail -n 1 "$TMP/out/$key.rate")/s ok of $(tail -n 1 "$TMP/out/$key.all")/s, p99 $(tail -n 1 "$TMP/out/$key.p99") ms, $(tail -n 1 "$TMP/out/$key.cpu") µs cong CPU each"
	for b in "${BACKENDS[@]}"; do : >"$TMP/cong-$b-access.log"; done # keep the logs small
}

# The documents stay on disk until the end, as they would in service: removing tens of thousands of files
# between runs makes ext4 skip the just-freed inodes (recently_deleted) for a while, which slowed the next
# runs' file creation by a third when tried.
files_bytes() { # backend → bytes under its dossiers/
	(find "${DATA[$1]}/dossiers" -type f -printf '%s\n' 2>/dev/null || true) | awk '{ s += $1 } END { printf "%.0f", s }'
}
ROWS_BEFORE=()
for be in "${BACKENDS[@]}"; do
	ROWS_BEFORE+=("$(db_count "$be" "${DATA[$be]}" "SELECT count(*) FROM dossiers WHERE idem_key LIKE 'bench-s%'")")
done
say "warming up"
for be in "${BACKENDS[@]}"; do
	run_bg env BENCH_PROCS="${PROCS[$be]}" BENCH_PDF="$PDF" BENCH_RUN="w$be" wrk -t1 -c4 -d2s -s "$TMP/submit.lua" \
		"http://127.0.0.1:${SPORT[$be]}" >/dev/null
done
FILES_BEFORE=0
for be in "${BACKENDS[@]}"; do FILES_BEFORE=$((FILES_BEFORE + $(files_bytes "$be"))); done
for r in $(seq "$ROUNDS"); do
	for c in $CLIENTS; do
		for be in "${BACKENDS[@]}"; do
			say "round $r/$ROUNDS: $be, submissions, $c clients"
			measure "sub-$be-$c" "$be" "$c" "$TMP/submit.lua" "http://127.0.0.1:${SPORT[$be]}" \
				BENCH_PROCS="${PROCS[$be]}" BENCH_PDF="$PDF" BENCH_RUN="s$r-$c"
		done
	done
done
sleep 1 # the requests wrk left in flight finish (their clients are gone, the server completes them)
FILES_BYTES=$((-FILES_BEFORE))
for be in "${BACKENDS[@]}"; do FILES_BYTES=$((FILES_BYTES + $(files_bytes "$be"))); done
# every 201 has its row (the runs' requests still in flight at the end may add at most one per connection)
declare -A ROWS_OK
i=0
for be in "${BACKENDS[@]}"; do
	rows=$(db_count "$be" "${DATA[$be]}" "SELECT count(*) FROM dossiers WHERE idem_key LIKE 'bench-s%'")
	acked=$(cat "$TMP"/out/sub-"$be"-*.n | awk '{ s += $1 } END { print s + 0 }')
	slack=$(for c in $CLIENTS; do echo $((c * ROUNDS)); done | awk '{ s += $1 } END { print s + 0 }')
	if [ -z "$rows" ]; then
		ROWS_OK[$be]="not checked (no sqlite3/psql)"
	else
		rows=$((rows - ${ROWS_BEFORE[$i]:-0}))
		if [ "$rows" -ge "$acked" ] && [ "$rows" -le $((acked + slack)) ]; then
			ROWS_OK[$be]="$acked acknowledged, $rows rows stored: ok"
		else
			ROWS_OK[$be]="$acked acknowledged, $rows rows stored: **MISMATCH**"
			BAD="$BAD $be rows ($acked acknowledged, $rows stored)"
		fi
	fi
	i=$((i + 1))
done

# ---- 6. what an acknowledgement costs: syscalls of one short run under strace ---------------------------
declare -A SYS
if [ "$STRACE" != 0 ]; then
	for be in "${BACKENDS[@]}"; do
		say "$be: syscalls of 3 s of submissions (strace; not timed)"
		tids=()
		for t in /proc/"${SPID[$be]}"/task/*; do tids+=(-p "${t##*/}"); done
		strace -f -c -e trace=fsync,fdatasync,rename,openat,pwrite64,write -o "$TMP/strace-$be.txt" "${tids[@]}" 2>/dev/null &
		spid=$!
		sleep 1
		run_bg env BENCH_PROCS="${PROCS[$be]}" BENCH_PDF="$PDF" BENCH_RUN="x$be" wrk -t1 -c4 -d3s -s "$TMP/submit.lua" \
			"http://127.0.0.1:${SPORT[$be]}" >"$TMP/out/strace-$be.wrk" 2>&1
		kill -INT "$spid" 2>/dev/null || true
		wait "$spid" 2>/dev/null || true
		n=$(val ok "$TMP/out/strace-$be.wrk")
		SYS[$be]=$(awk -v n="${n:-0}" '$NF ~ /^(fsync|fdatasync|rename)$/ && n > 0 { printf "%s%s %.2f", sep, $NF, $4 / n; sep = ", " }' \
			"$TMP/strace-$be.txt")
		SYS[$be]="${SYS[$be]:-none seen} (per acknowledged submission, $n acknowledged under strace)"
		say "  ${SYS[$be]}"
	done
fi

# ---- 7. lookups -----------------------------------------------------------------------------------------
declare -A LBODY LCOOKIE
for be in "${BACKENDS[@]}"; do
	base="http://127.0.0.1:${SPORT[$be]}"
	curl -fsS -c "$TMP/jar-$be" -o "$TMP/form-$be.html" "$base/tra-cuu-ho-so" || die "$be: cannot fetch the lookup form"
	csrf=$(grep -o 'name="csrf" value="[^"]*"' "$TMP/form-$be.html" | sed 's/.*value="//; s/"$//')
	cookie=$(awk '$6 == "cong_login" { print $6 "=" $7 }' "$TMP/jar-$be")
	[ -n "$csrf" ] && [ -n "$cookie" ] || die "$be: no CSRF token or cookie on the lookup form"
	LCOOKIE[$be]=$cookie
	LBODY[$be]="csrf=$csrf&code=${CODE[$be]}&last4=5678"
	curl -fsS -b "$cookie" --data "${LBODY[$be]}" -o "$TMP/found-$be.html" "$base/tra-cuu-ho-so" ||
		die "$be: the lookup POST failed"
	grep -q 'class="dossier-result"' "$TMP/found-$be.html" || die "$be: the lookup did not find ${CODE[$be]}"
done
FORM_BYTES=$(curl -fsS "http://127.0.0.1:${SPORT[sqlite]}/tra-cuu-ho-so" | wc -c)
FOUND_BYTES=$(wc -c <"$TMP/found-sqlite.html")
for r in $(seq "$ROUNDS"); do
	for be in "${BACKENDS[@]}"; do
		base="http://127.0.0.1:${SPORT[$be]}"
		say "round $r/$ROUNDS: $be, lookups"
		measure "look-form-$be" "$be" "$CONNS" "$TMP/page.lua" "$base/tra-cuu-ho-so" BENCH_METHOD=GET
		measure "look-found-$be" "$be" "$CONNS" "$TMP/page.lua" "$base/tra-cuu-ho-so" BENCH_METHOD=POST \
			BENCH_BODY="${LBODY[$be]}" BENCH_COOKIE="${LCOOKIE[$be]}"
		measure "look-api-$be" "$be" "$CONNS" "$TMP/page.lua" "$base/api/v1/dossiers/${CODE[$be]}?phone_last4=5678" BENCH_METHOD=GET
	done
done
# last: wrong digits, which soon block this address for up to 15 minutes
for r in $(seq "$ROUNDS"); do
	for be in "${BACKENDS[@]}"; do
		say "round $r/$ROUNDS: $be, lookups with wrong digits"
		measure "look-thr-$be" "$be" "$CONNS" "$TMP/page.lua" "http://127.0.0.1:${SPORT[$be]}/tra-cuu-ho-so" BENCH_METHOD=POST \
			BENCH_BODY="${LBODY[$be]%5678}0000" BENCH_COOKIE="${LCOOKIE[$be]}"
	done
done
declare -A THR_SHARE
for be in "${BACKENDS[@]}"; do
	THR_SHARE[$be]=$(cat "$TMP"/out/look-thr-"$be".*.txt |
		awk '$1 == "ok" { a += $2 } $1 == "throttled" { b += $2 } END { printf "%.2f", (a + b) ? 100 * b / (a + b) : 0 }')
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- 8. report ------------------------------------------------------------------------------------------
med() { median <"$TMP/out/$1.$2"; }
spread() { sort -g "$TMP/out/$1.rate" | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%d–%d", lo + 0.5, hi + 0.5 }'; }
name() { [ "$1" = pg ] && echo "PostgreSQL ${PG_VERSION:-}" || echo "SQLite"; }
CPU=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
report() {
	echo "## Online public services benchmark — $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo
	echo "Machine: $(nproc) cores, ${CPU:-unknown CPU}, Linux $(uname -r), $(df -T "$TMP" | awk 'NR == 2 { print $2 }') on the data directory.  cong $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$ROOT" diff --quiet -- src 2>/dev/null || echo ' (+ uncommitted src changes)'), default threads and workers."
	echo "Load average before / after: $LOAD_BEFORE / $LOAD_AFTER (wrk shares the cores; CPU per request is steadier than req/s)."
	echo "wrk -t$WRK_THREADS -d$DURATION, median of $ROUNDS interleaved rounds (min–max of the rounds in brackets)."
	echo
	echo "### Submissions: POST /api/v1/dossiers, two PDFs of $FILE_KB KB each, a new Idempotency-Key each"
	echo
	echo "$NPROCS procedures of $NPROCS agencies in turn.  Only 201 Created counts."
	echo
	echo "| database | clients | acknowledged/s | p50 | p99 | cong CPU per submission | PostgreSQL CPU per submission |"
	echo "|---|---:|---:|---:|---:|---:|---:|"
	for be in "${BACKENDS[@]}"; do
		for c in $CLIENTS; do
			k=sub-$be-$c
			echo "| $(name "$be") | $c | **$(fmt_int "$(med "$k" rate)")/s** ($(spread "$k")) | $(med "$k" p50) ms | $(med "$k" p99) ms | $(med "$k" cpu) µs | $([ "$be" = pg ] && echo "$(med "$k" pgcpu) µs" || echo —) |"
		done
	done
	echo
	for be in "${BACKENDS[@]}"; do echo "- $(name "$be"): ${ROWS_OK[$be]}."; done
	echo "- Each acknowledgement waits for: the two files written, fsynced and renamed, the directory fsynced, then the"
	echo "  database commit (SQLite WAL with \`synchronous=FULL\`: an fsync of the WAL; PostgreSQL: its WAL flush)."
	if [ "$STRACE" != 0 ]; then
		for be in "${BACKENDS[@]}"; do echo "  Syscalls seen, $(name "$be"): ${SYS[$be]}."; done
	fi
	echo "- This disk: a synced 4 KB write takes $DSYNC_4K ms, a synced $FILE_KB KB write $DSYNC_FILE ms (\`dd oflag=dsync\`)."
	echo "- Documents written by the timed runs: $(mb "$FILES_BYTES") MB (kept until the end, removed with the temporary directory)."
	echo
	echo "### Lookup: /tra-cuu-ho-so (never cached), $CONNS connections"
	echo
	echo "| database | request | answers/s | p50 | p99 | cong CPU per answer | PostgreSQL CPU per answer |"
	echo "|---|---|---:|---:|---:|---:|---:|"
	for be in "${BACKENDS[@]}"; do
		for k in form found api thr; do
			case $k in
			form) label="GET the empty form ($FORM_BYTES bytes)"; rk=all ;;
			found) label="POST code + right digits: the status page ($FOUND_BYTES bytes)"; rk=all ;;
			api) label="GET /api/v1/dossiers/{code}?phone_last4= (JSON)"; rk=all ;;
			thr) label="POST wrong digits: 429 after the first 20 (429s: ${THR_SHARE[$be]} % of all)"; rk=all ;;
			esac
			key=look-$k-$be
			echo "| $(name "$be") | $label | **$(fmt_int "$(med "$key" "$rk")")/s** | $(med "$key" p50) ms | $(med "$key" p99) ms | $(med "$key" cpu) µs | $([ "$be" = pg ] && echo "$(med "$key" pgcpu) µs" || echo —) |"
		done
	done
	echo
	echo "A right code and digits are not throttled (only misses count), so \"found\" is the real page under load;"
	echo "misses are limited per address (20 in 15 minutes, then doubling waits; a constant, no setting) and per"
	echo "code (5), so from one address the wrong-digits run measures the 429 refusal."
	if [ -n "$BAD" ]; then
		echo
		echo "**Warning:**$BAD"
	fi
}
report | tee ${BENCH_REPORT:+"$BENCH_REPORT"}
