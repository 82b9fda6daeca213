#!/bin/sh
# Run Criterion unit-test binaries; print one summed closing line.
#   scripts/run-unit.sh [--valgrind] BUILD_DIR BIN...
set -u
vg=""
jobs=2
if [ "${1:-}" = "--valgrind" ]; then
	# One worker at a time: Criterion's worker IPC can time out under valgrind
	# when workers run in parallel on a loaded machine.
	jobs=1
	vg="valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite --trace-children=yes"
	shift
fi
shift # BUILD_DIR (unused: binaries are given)
tested=0; passing=0; failing=0; crashing=0; rc=0
for bin in "$@"; do
	out=$($vg "$bin" --jobs $jobs 2>&1); status=$?
	line=$(printf '%s\n' "$out" | grep 'Synthesis:' | tail -n 1)
	# Criterion ignores a worker's exit status after its test, so sanitizer and
	# valgrind reports (leaks included) are caught here, from the output.
	if printf '%s\n' "$out" | grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:|definitely lost: [1-9]|Invalid (read|write)|uninitialised'; then
		printf '%s\n' "$out" | grep -E -A12 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:|definitely lost|Invalid (read|write)|uninitialised' | head -60
		echo "unit: $bin: sanitizer or valgrind report"
		status=1
	fi
	if [ $status -ne 0 ] || [ -z "$line" ]; then
		printf '%s\n' "$out"
		echo "unit: $bin failed (exit $status)"
		rc=1
	fi
	echo "unit: $(basename "$bin"): ${line#*Synthesis: }"
	t=$(echo "$line" | sed -n 's/.*Tested: \([0-9]*\).*/\1/p')
	p=$(echo "$line" | sed -n 's/.*Passing: \([0-9]*\).*/\1/p')
	f=$(echo "$line" | sed -n 's/.*Failing: \([0-9]*\).*/\1/p')
	c=$(echo "$line" | sed -n 's/.*Crashing: \([0-9]*\).*/\1/p')
	tested=$((tested + ${t:-0})); passing=$((passing + ${p:-0}))
	failing=$((failing + ${f:-0})); crashing=$((crashing + ${c:-0}))
done
echo "[====] Synthesis: Tested: $tested | Passing: $passing | Failing: $failing | Crashing: $crashing"
[ $failing -eq 0 ] && [ $crashing -eq 0 ] || rc=1
exit $rc
