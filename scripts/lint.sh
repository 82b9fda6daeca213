#!/bin/sh
# make lint: layers only point down (STYLE.md §1), banned functions (§9), and the
# duplicates report when the tool is installed.
set -u
rc=0
rank() {
	case "$1" in
	core) echo 0 ;; bank) echo 1 ;; grade) echo 2 ;; env) echo 3 ;; store) echo 4 ;;
	agent) echo 5 ;; server) echo 6 ;; cli) echo 7 ;; *) echo 9 ;;
	esac
}
for f in $(find src -name '*.[ch]'); do
	layer=$(echo "$f" | cut -d/ -f2)
	mine=$(rank "$layer")
	for inc in $(sed -n 's/^#include "\([a-z]*\)\/.*/\1/p' "$f" | sort -u); do
		theirs=$(rank "$inc")
		if [ "$theirs" -gt "$mine" ]; then
			echo "lint: $f includes $inc/ (layer $layer must not reach up or sideways)"
			rc=1
		fi
	done
done
banned='\b(sprintf|vsprintf|strcpy|strcat|atoi|atol|gets|strtok|alloca)\s*\('
if grep -nE "$banned" $(find src -name '*.[ch]'); then
	echo "lint: banned functions above (use snprintf, strtol, ...)"
	rc=1
fi
if grep -nE '(^|[^_.>a-z])(malloc|calloc|realloc|strdup|strndup|free)\(' $(find src -name '*.c' ! -name alloc.c); then
	echo "lint: use rg_malloc/rg_calloc/rg_realloc/rg_strdup/rg_free (core/alloc.h)"
	rc=1
fi
if grep -nE 'fprintf\(stderr' $(find src -name '*.c' ! -path 'src/cli/*' ! -name log.c ! -path src/agent/report.c); then
	echo "lint: stray fprintf(stderr, ...) outside cli/ and core/log.c: use rg_log"
	rc=1
fi
grep -q "jansson.h" $(find src -name '*.[ch]' ! -path 'src/core/json.c') && {
	echo "lint: only src/core/json.c may include jansson.h"
	rc=1
}
if command -v duplicates >/dev/null 2>&1; then
	for d in src tests; do timeout 60 duplicates --repo "$d" --seconds 20 2>/dev/null | head -12; done
fi
[ $rc -eq 0 ] && echo "lint: ok"
exit $rc
