#!/bin/sh
# Baseline table for the README: start a server on loopback, run every baseline
# policy over every task of both families (reviewgym run --all-tasks), and print a
# markdown table of mean score and success per difficulty, from the JSON reports.
#   sh scripts/baselines.sh [BIN]        (default build/reviewgym)
set -eu
BIN=${1:-build/reviewgym}
dir=$(mktemp -d)
"$BIN" serve --host 127.0.0.1 --port 0 --port-file "$dir/port" --log-level warn &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$dir"' EXIT
i=0; while [ ! -s "$dir/port" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i+1)); done
url="http://127.0.0.1:$(cat "$dir/port")"
for policy in oracle heuristic empty; do
	for family in code_review pr_review; do
		"$BIN" run --url "$url" --policy "$policy" --family "$family" --all-tasks \
			--concurrency 4 --quiet --report "$dir/$policy-$family.json" >/dev/null 2>&1 || true
	done
done
python3 - "$dir" <<'PY'
import json, os, sys
d = sys.argv[1]
print("| policy | family | easy | medium | hard | all | success |")
print("|---|---|---|---|---|---|---|")
for policy in ("oracle", "heuristic", "empty"):
    for family in ("code_review", "pr_review"):
        r = json.load(open(os.path.join(d, "%s-%s.json" % (policy, family))))
        s = r["summary"]
        cell = lambda k: "%.3f" % s["by_difficulty"][k]["mean_score"] if k in s["by_difficulty"] else "-"
        print("| %s | %s | %s | %s | %s | %.3f (%d tasks) | %.0f%% |" % (
            policy, family, cell("easy"), cell("medium"), cell("hard"),
            s["overall"]["mean_score"], s["overall"]["n"], 100 * s["overall"]["success_rate"]))
PY
