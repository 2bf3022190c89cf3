# shellcheck shell=bash disable=SC2034 # PORT, PID and CLK_TCK are set here for the scripts that source it
# Helpers shared by the benchmark scripts (run.sh, pg.sh, dossier.sh, search.sh): messages, a clean-up that
# stops every process the script started, free ports and readiness checks, CPU time from /proc, and the
# small arithmetic of the reports.  Bash only (arrays, mapfile, local); startup.sh stays POSIX sh.
#
# Source it from the source tree's root, after `set -euo pipefail` (cleanup runs ./scripts/pg.sh):
#   cd "$(dirname "$0")/.."
#   SAY_TAG=bench-pg
#   # shellcheck source-path=SCRIPTDIR source=lib.sh
#   source bench/lib.sh
# Before sourcing, a script sets
#   SAY_TAG     the tag of its messages: `say hello` prints "[SAY_TAG] hello" to stderr
# Sourcing sets (the script assigns them later; the helpers read them)
#   TMP=''      the script's temporary directory once it has made one: removed on exit, unless BENCH_KEEP=1
#   PG_STARTED='' set to 1 just before `./scripts/pg.sh start`: on exit that server is stopped
#   PORT='' PID=''  free_port's answer, and by convention the pid of the server just started
#   USED_PORTS  the ports free_port has handed out: one not listened on yet must not be handed out twice
#   CLK_TCK     clock ticks per second, the unit of cpu_ticks
# and installs the traps: cleanup on exit; INT, TERM, HUP and PIPE exit with 128 + the signal's number,
# which runs cleanup.

if [ -t 2 ]; then B1=$'\033[1m' B0=$'\033[0m'; else B1='' B0=''; fi
say() { printf '%s[%s]%s %s\n' "$B1" "$SAY_TAG" "$B0" "$*" >&2; }
die() { say "error: $*"; exit 1; }

# ---- processes and clean-up ------------------------------------------------------------------------
TMP='' PG_STARTED=''
descendants() { # every process below pid $1 (needs /proc/PID/task/TID/children, Linux ≥ 3.5)
	local c
	for c in $(cat /proc/"$1"/task/*/children 2>/dev/null); do
		echo "$c"
		descendants "$c"
	done
}
stop_pids() { # TERM, give them 5 s (cong drains within ~0.5 s), then KILL; reap our own children
	local pid left
	[ $# -gt 0 ] || return 0
	kill -TERM "$@" 2>/dev/null || true
	for _ in $(seq 50); do
		left=
		for pid in "$@"; do kill -0 "$pid" 2>/dev/null && left=1; done
		[ -n "$left" ] || break
		sleep 0.1
	done
	kill -KILL "$@" 2>/dev/null || true
	for pid in "$@"; do wait "$pid" 2>/dev/null || true; done
	return 0
}
stop_tree() { # pid…: those processes and everything they started (nginx workers, hyperfine's runs)
	local pid all=()
	for pid in "$@"; do
		all+=("$pid")
		mapfile -t -O "${#all[@]}" all < <(descendants "$pid")
	done
	stop_pids "${all[@]}"
}
cleanup() {
	local rc=$?
	set +e
	trap - INT TERM HUP PIPE
	local mine=()
	mapfile -t mine < <(descendants $$)
	stop_pids "${mine[@]}"
	[ -z "$PG_STARTED" ] || ./scripts/pg.sh stop # the same CONG_PG_DIR / CONG_PG_PORT as the start
	if [ -n "$TMP" ] && [ -d "$TMP" ]; then
		if [ "${BENCH_KEEP:-}" = 1 ]; then say "kept $TMP"; else rm -rf "$TMP"; fi
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP
trap 'exit 141' PIPE

# Runs a command in the background and waits for it: bash runs its INT/TERM traps (and so the clean-up)
# at once while waiting in `wait`, but only after a foreground command has finished.
run_bg() {
	"$@" &
	wait $!
}

# ---- ports and readiness --------------------------------------------------------------------------
USED_PORTS=' ' PORT='' PID=''
port_listening() { # port → 0 when someone listens on 127.0.0.1/any:port
	local hex
	hex=$(printf ':%04X' "$1")
	awk -v p="$hex" 'substr($2, length($2) - 4) == p && $4 == "0A" { f = 1 } END { exit !f }' \
		/proc/net/tcp /proc/net/tcp6 2>/dev/null
}
free_port() { # → PORT: a port nobody listens on and this run has not used yet
	local p
	while :; do
		p=$((20000 + RANDOM % 40000))
		case "$USED_PORTS" in *" $p "*) continue ;; esac
		port_listening "$p" && continue
		USED_PORTS="$USED_PORTS$p "
		PORT=$p
		return
	done
}
owns_listener() { # pid port → 0 when that process holds the listening socket (not someone else's server)
	local hex inode
	hex=$(printf ':%04X' "$2")
	for inode in $(awk -v p="$hex" 'substr($2, length($2) - 4) == p && $4 == "0A" { print $10 }' \
		/proc/net/tcp /proc/net/tcp6 2>/dev/null); do
		readlink /proc/"$1"/fd/* 2>/dev/null | grep -qx "socket:\[$inode\]" && return 0
	done
	return 1
}
wait_ready() { # pid port path → 0 once pid owns the port and path answers 200; 1 when pid died / timeout
	for _ in $(seq 200); do
		kill -0 "$1" 2>/dev/null || return 1
		if owns_listener "$1" "$2" && curl -fs -o /dev/null --max-time 2 "http://127.0.0.1:$2$3"; then
			return 0
		fi
		sleep 0.05
	done
	return 1
}

# ---- measures and figures -------------------------------------------------------------------------
CLK_TCK=$(getconf CLK_TCK 2>/dev/null || echo 100)
cpu_ticks() { # pid… → user + system clock ticks of those processes and all below them (nginx workers, backends)
	local p all=()
	for p in "$@"; do
		all+=("$p")
		mapfile -t -O "${#all[@]}" all < <(descendants "$p")
	done
	# a process may exit between the listing and the read: it counts 0.  The command name (field 2) may
	# hold spaces: count fields after its closing parenthesis
	for p in "${all[@]}"; do cat "/proc/$p/stat" 2>/dev/null || true; done |
		awk '{ sub(/^.*\) /, ""); split($0, f, " "); t += f[12] + f[13] } END { print t + 0 }'
}
to_ms() { # wrk duration (850.00us, 1.23ms, 1.02s, 1.10m) → ms, a line
	awk -v v="$1" 'BEGIN { n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
		if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
		printf "%.2f\n", n }'
}
median() { # numbers on stdin → median
	sort -g | awk '{ a[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print a[(NR + 1) / 2];
		else printf "%.2f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; } # a b → a / b
fmt_int() { awk -v v="$1" 'BEGIN { printf "%d", v + 0.5 }'; } # number → rounded to an integer
