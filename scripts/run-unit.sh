#!/bin/sh
# Runs every cmocka unit test binary under $1/tests and fails if any fails.  Each prints cmocka's summary.
B=${1:-build}
fail=0; n=0
for t in "$B"/tests/test_*; do
	[ -x "$t" ] || continue
	n=$((n + 1))
	echo "== $(basename "$t")"
	"$t" || fail=$((fail + 1))
done
echo "unit test programs: $n, failed: $fail"
[ "$fail" -eq 0 ]
