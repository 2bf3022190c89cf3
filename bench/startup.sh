#!/bin/sh
# One start-up measurement, run by bench/run.sh through hyperfine:
#   startup.sh CONG DATA PORT OUT
# starts `CONG serve` on 127.0.0.1:PORT, polls /healthz until it answers 200, appends the milliseconds from
# just before the exec to that first answer to OUT, then kills the server (SIGKILL: stopping is not what is
# measured, and a graceful stop would add the loops' 100 ms poll to hyperfine's figure).
# Exits non-zero when the server died, never answered within 10 s, or the port was not its own.
set -u
cong=$1 data=$2 port=$3 out=$4
t0=$(date +%s%N)
"$cong" serve --data "$data" --listen "127.0.0.1:$port" --access_log off --log_level warn >/dev/null 2>&1 &
pid=$!
trap 'kill -KILL "$pid" 2>/dev/null; exit 1' INT TERM HUP
ok=0
while :; do
	if curl -fs -o /dev/null --max-time 1 "http://127.0.0.1:$port/healthz"; then
		ok=1
		break
	fi
	kill -0 "$pid" 2>/dev/null || break
	[ $(( ($(date +%s%N) - t0) / 1000000 )) -lt 10000 ] || break
done
t1=$(date +%s%N)
# the answer must have come from our process, not from someone else's server on that port (lib.sh's
# owns_listener, written out: this script is POSIX sh, and hyperfine times the whole of it)
if [ "$ok" = 1 ] && kill -0 "$pid" 2>/dev/null; then
	hex=$(printf ':%04X' "$port")
	inodes=$(awk -v p="$hex" 'substr($2, length($2) - 4) == p && $4 == "0A" { print $10 }' /proc/net/tcp /proc/net/tcp6 2>/dev/null)
	mine=0
	for i in $inodes; do
		readlink /proc/"$pid"/fd/* 2>/dev/null | grep -qx "socket:\[$i\]" && mine=1
	done
	[ "$mine" = 1 ] || ok=0
else
	ok=0
fi
kill -KILL "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
[ "$ok" = 1 ] || { echo "startup.sh: cong did not come up on port $port" >&2; exit 1; }
echo $(( (t1 - t0) / 1000 )) >>"$out" # microseconds
