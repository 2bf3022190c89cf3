#!/bin/sh
# A private PostgreSQL 15 server for the tests and benchmarks (Debian's postgresql-15 binaries), in a
# directory of its own, on its own port; nothing of the machine's own PostgreSQL is used or changed.
#   pg.sh start   (re)creates and starts it; prints the base URL (postgres://cong@127.0.0.1:PORT/)
#   pg.sh stop    stops it and removes its directory
#   pg.sh kill    kill -9 of the server (the durability test); pg.sh restart starts it again on its files
#   pg.sh createdb NAME   a new empty database; prints its URL
# CONG_PG_DIR (default /tmp/cong-pg) and CONG_PG_PORT (default 25432: below the ephemeral range 32768–60999,
# so no outgoing connection can be holding it when the server starts) choose where.
set -e
DIR=${CONG_PG_DIR:-/tmp/cong-pg}
PORT=${CONG_PG_PORT:-25432}
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$BIN" ] || { echo "pg.sh: PostgreSQL is not installed (scripts/deps.sh test installs it)" >&2; exit 1; }
URL="postgres://cong@127.0.0.1:$PORT/"

# PostgreSQL refuses to run as root: as root, run it as the postgres user.
as_pg() {
	if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

ctl() { as_pg "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/log" -w -t 60 "$@"; }

case "$1" in
start)
	[ -f "$DIR/data/postmaster.pid" ] && ctl stop -m immediate >/dev/null 2>&1 || true
	rm -rf "$DIR"
	mkdir -p "$DIR"
	[ "$(id -u)" = 0 ] && chown postgres "$DIR"
	as_pg "$BIN/initdb" -D "$DIR/data" -U cong -A trust -E UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 ||
		{ cat "$DIR/initdb.log" >&2; exit 1; }
	# fsync stays on: the durability tests kill the server and count on what it acknowledged
	ctl start -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c max_connections=400 -c shared_buffers=128MB" >/dev/null
	echo "$URL"
	;;
restart)
	ctl start -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c max_connections=400 -c shared_buffers=128MB" >/dev/null
	;;
kill)
	# the whole server at once, as a crash would take it: the postmaster and every process it started
	pid=$(head -1 "$DIR/data/postmaster.pid")
	kids=$(pgrep -P "$pid" || true)
	kill -9 "$pid" $kids
	for i in $(seq 100); do
		kill -0 "$pid" $kids 2>/dev/null || break
		sleep 0.05
	done
	;;
stop)
	[ -f "$DIR/data/postmaster.pid" ] && ctl stop -m fast >/dev/null 2>&1 || true
	rm -rf "$DIR"
	;;
createdb)
	psql -q -X -v ON_ERROR_STOP=1 "${URL}postgres" -c "CREATE DATABASE \"$2\"" >/dev/null
	echo "$URL$2"
	;;
*) echo "usage: pg.sh start|stop|kill|restart|createdb NAME" >&2; exit 2 ;;
esac
