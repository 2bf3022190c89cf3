#!/bin/sh
# Installs the Debian packages (and npm packages) Cổng needs, only those missing.
#   deps.sh build|test|bench      install what that stage needs
#   deps.sh --check-build|--check-test|--check-bench   exit 0 when nothing is missing
set -e
BUILD="gcc make pkg-config libh2o-evloop-dev libsqlite3-dev libsodium-dev libmd4c-html0-dev libmd4c-dev
libutf8proc-dev libjansson-dev libvips-dev zlib1g-dev libinih-dev libssl-dev libcmocka-dev libqrencode-dev libpq-dev"
TEST="$BUILD chromium gettext curl openssl python3 sqlite3 python3-feedparser libxml2-utils postgresql-15 postgresql-client-15"
BENCH="$BUILD nginx-light wrk hyperfine curl hunspell-vi"

missing() {
	for p in $1; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' || printf '%s ' "$p"
	done
}
npm_ok() { [ -d node_modules/playwright-core ] && [ -d node_modules/axe-core ]; }

case "$1" in
--check-build) [ -z "$(missing "$BUILD")" ] ;;
--check-test) [ -z "$(missing "$TEST")" ] && command -v node >/dev/null && npm_ok ;;
--check-bench) [ -z "$(missing "$BENCH")" ] ;;
build|test|bench)
	case "$1" in build) want=$BUILD ;; test) want=$TEST ;; bench) want=$BENCH ;; esac
	m=$(missing "$want")
	# node may come from Debian or from nodesource (which bundles npm): ask for Debian's only when absent.
	if [ "$1" = test ] && ! command -v npm >/dev/null; then m="$m nodejs npm"; fi
	if [ -n "$m" ]; then
		echo "deps: installing $m"
		SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
		$SUDO apt-get update -q || true
		DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends $m
	fi
	# node from Debian may already be present in a newer form (nodesource): only npm is needed then.
	if [ "$1" = test ] && ! npm_ok; then npm ci --no-audit --no-fund; fi
	;;
*) echo "usage: deps.sh build|test|bench|--check-build|--check-test|--check-bench" >&2; exit 2 ;;
esac
