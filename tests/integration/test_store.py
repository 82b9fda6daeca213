"""The episode store (docs/api.md, src/store/store.h) against the real server:
episodes played over HTTP and WebSocket are in the SQLite file (read directly,
read-only) and in /api/episodes/{id} with every step as the agent sent it and as
the server answered (reward, breakdown, feedback, observation), rejected actions
included; WAL mode; a step whose reply was received survives SIGKILL after the
durability window, and a clean SIGTERM right after a burst loses nothing;
--store-max-episodes keeps the newest N; --no-store turns the read API into 503s;
/api/export (JSON lines, CSV with quoting) matches the episodes; /api/stats and
/metrics count what was played."""
import csv
import http.client
import io
import json
import os
import re
import signal
import sqlite3
import time
import unittest

from harness import Server, load_task, oracle_action, wait_until

CR = "cr-easy-playlist"          # code_review, easy, 2 issues
PR = "pr-hard-jwt-secret"        # pr_review, hard, critical v1: escalate at once
PR_ESCALATE = {"decision": "escalate",
               "comment": "The HS256 signing key is hard-coded in the source: a critical "
                          "security flaw, anyone with the code can forge tokens."}
WRONG = {"findings": [{"line_number": 3, "issue_type": "bug", "description": "the docstring"}]}


def query(db, sql, args=()):
    """Rows as dicts, from a read-only connection (what an operator's tool does)."""
    con = sqlite3.connect("file:%s?mode=ro" % db, uri=True, timeout=5)
    try:
        con.row_factory = sqlite3.Row
        return [dict(r) for r in con.execute(sql, args)]
    finally:
        con.close()


def get_text(s, path):
    """(status, headers, body text) without the harness's JSON parsing (a one-line
    JSON-lines export is valid JSON too)."""
    conn = http.client.HTTPConnection("127.0.0.1", s.port, timeout=10)
    conn.request("GET", path)
    resp = conn.getresponse()
    text = resp.read().decode()
    conn.close()
    return resp.status, {k.lower(): v for k, v in resp.getheaders()}, text


def http_raw(s, method, path, raw, headers=None):
    h = {"Content-Type": "application/json"}
    h.update(headers or {})
    return s.http(method, path, raw=raw.encode(), headers=h)


def play_http_cr(tc, s, client, seed=5, steps=(None, WRONG, "oracle")):
    """A one-task code_review episode over HTTP; None sends a text action with no
    JSON (rejected, 422). Returns (reset body, reset reply, [(sent text, sent action,
    status, reply)])."""
    reset = {"family": "code_review", "task_id": CR, "max_attempts": 3, "seed": seed,
             "client": client}
    status, _, r0 = s.http("POST", "/reset", reset)
    tc.assertEqual(status, 200, r0)
    eid = r0["observation"]["episode_id"]
    sent = []
    for a in steps:
        action = "I have no JSON for you" if a is None else oracle_action(CR) if a == "oracle" else a
        text = json.dumps({"action": action, "episode_id": eid})
        status, _, reply = http_raw(s, "POST", "/step", text)
        tc.assertEqual(status, 422 if a is None else 200, reply)
        sent.append((text, action, status, reply))
    return reset, r0, sent


def play_ws_pr(tc, s, client):
    """A pr_review episode over WebSocket, framed as OpenEnv's client frames it."""
    ws = s.ws()
    reset = {"family": "pr_review", "task_id": PR, "client": client}
    r0 = ws.request({"type": "reset", "data": reset})
    tc.assertEqual(r0["type"], "observation", r0)
    sent = []
    for data in ({"decision": "merge_it", "comment": "x"},           # rejected: bad decision
                 dict(PR_ESCALATE, metadata={})):
        text = json.dumps({"type": "step", "data": data})
        ws.send(text)
        reply = ws.recv()
        sent.append((text, data, reply))
    tc.assertEqual(sent[0][2]["type"], "error")
    tc.assertEqual(sent[1][2]["type"], "observation")
    ws.close()
    return reset, r0, sent


def stored(tc, s, episode, steps):
    """/api/episodes/{episode} once `steps` steps are committed."""
    def get():
        st, _, e = s.http("GET", "/api/episodes/%s" % episode)
        return e if st == 200 and len(e["steps"]) == steps else None
    e = wait_until(get)
    tc.assertIsNotNone(e, "episode %s did not reach the store with %d steps" % (episode, steps))
    return e


class StoreRecordsTest(unittest.TestCase):
    """One server; an HTTP code_review and a WebSocket pr_review episode."""

    @classmethod
    def setUpClass(cls):
        cls.s = Server()
        cls.db = os.path.join(cls.s.dir, "store.db")

    @classmethod
    def tearDownClass(cls):
        cls.s.stop_clean()

    def test_http_code_review_episode_is_recorded_step_by_step(self):
        reset, r0, sent = play_http_cr(self, self.s, "it-http-cr")
        eid = r0["observation"]["episode_id"]
        e = stored(self, self.s, eid, len(sent))
        # the episode row
        self.assertEqual(e["episode_id"], eid)
        self.assertEqual(e["family"], "code_review")
        self.assertEqual(e["client"], "it-http-cr")
        self.assertEqual(e["task_ids"], [CR])
        self.assertEqual(e["seed"], 5)
        self.assertEqual(e["params"], reset)                 # the body as received
        self.assertEqual(e["initial_observation"], r0["observation"])
        last = sent[-1][3]
        self.assertTrue(last["done"])
        self.assertTrue(e["done"])
        self.assertGreaterEqual(e["ended_at"], e["started_at"])
        self.assertLessEqual(abs(e["started_at"] - time.time()), 60)
        self.assertEqual(e["task_scores"], last["observation"]["task_scores"])
        self.assertEqual(e["episode_score"], last["observation"]["episode_score"])
        # the steps, rejected one included
        self.assertEqual([st["index"] for st in e["steps"]], [0, 1, 2])
        rej = e["steps"][0]
        self.assertEqual(rej["action"], "I have no JSON for you")
        self.assertIsNone(rej["reward"])
        self.assertIsNone(rej["normalized"])
        self.assertIn("no JSON object", rej["error"])
        for st, (_text, action, _status, reply) in zip(e["steps"][1:], sent[1:]):
            obs = reply["observation"]
            self.assertEqual(st["action"], action)
            self.assertEqual(len(st["normalized"]["findings"]), len(action["findings"]))
            self.assertEqual(st["normalized"]["findings"][0]["line_number"],
                             action["findings"][0]["line_number"])
            self.assertEqual(st["reward"], reply["reward"])
            self.assertEqual(st["done"], reply["done"])
            self.assertIsNone(st["error"])
            self.assertEqual(st["task_id"], CR)
            self.assertEqual(st["observation"], obs)
            self.assertEqual(st["breakdown"], obs["reward_breakdown"])
            self.assertEqual(st["feedback"], obs["feedback"])
            self.assertEqual(st["warnings"], obs["warnings"])
            self.assertIsInstance(st["latency_us"], int)
        self.assertEqual(e["steps"][2]["reward"], 1.0)  # the reference review
        # done: the ground truth of its task is shown
        truth = load_task(CR)
        self.assertEqual(e["tasks"][CR]["family"], "code_review")
        self.assertEqual(len(e["tasks"][CR]["issues"]), len(truth["issues"]))

        # the same in the file, read directly
        rows = query(self.db, "SELECT * FROM episode WHERE episode_id = ?", (eid,))
        self.assertEqual(len(rows), 1)
        self.assertEqual((rows[0]["family"], rows[0]["client"], rows[0]["steps"], rows[0]["done"]),
                         ("code_review", "it-http-cr", 3, 1))
        steps = query(self.db, "SELECT * FROM step WHERE episode = ? ORDER BY idx", (rows[0]["id"],))
        self.assertEqual([r["idx"] for r in steps], [0, 1, 2])
        for row, (text, action, status, reply) in zip(steps, sent):
            self.assertEqual(row["request"], text)     # byte for byte
            if status == 200:
                self.assertEqual(json.loads(row["reply"]), reply)
            else:
                self.assertIsNone(row["reply"])
            self.assertEqual(row["reward"], reply.get("reward") if status == 200 else None)
            self.assertEqual(row["error"] is None, status == 200)
            self.assertEqual(bool(row["done"]), bool(status == 200 and reply["done"]))

    def test_ws_pr_review_episode_is_recorded_with_outcome(self):
        reset, r0, sent = play_ws_pr(self, self.s, "it-ws-pr")
        eid = r0["data"]["observation"]["episode_id"]
        e = stored(self, self.s, eid, 2)
        final = sent[1][2]["data"]
        self.assertEqual(e["family"], "pr_review")
        self.assertEqual(e["client"], "it-ws-pr")
        self.assertEqual(e["task_ids"], [PR])
        self.assertEqual(e["difficulty"], "hard")
        self.assertEqual(e["params"], reset)                 # unwrapped from {"type","data"}
        self.assertEqual(e["initial_observation"], r0["data"]["observation"])
        self.assertTrue(e["done"])
        self.assertIsNotNone(e["ended_at"])
        self.assertTrue(e["success"])
        self.assertEqual(e["outcome"], "escalated")
        self.assertEqual(e["outcome"], final["observation"]["outcome"])
        self.assertEqual(e["episode_score"], final["observation"]["episode_score"])
        rej, ok = e["steps"]
        self.assertEqual(rej["action"], sent[0][1])
        self.assertIsNone(rej["reward"])
        self.assertIn("decision", rej["error"])
        self.assertEqual(ok["action"], sent[1][1])           # as received, metadata and all
        self.assertEqual(ok["normalized"]["decision"], "escalate")
        self.assertEqual(ok["normalized"]["comment"], PR_ESCALATE["comment"])
        self.assertEqual(ok["reward"], final["reward"])
        self.assertTrue(ok["done"])
        self.assertEqual(ok["breakdown"], final["observation"]["reward_breakdown"])
        self.assertEqual(ok["feedback"], final["observation"]["feedback"])
        self.assertEqual(ok["observation"], final["observation"])
        self.assertIn("versions", e["tasks"][PR])
        # in the file
        row = query(self.db, "SELECT * FROM episode WHERE episode_id = ?", (eid,))[0]
        self.assertEqual((row["success"], row["outcome"], row["difficulty"]), (1, "escalated", "hard"))
        steps = query(self.db, "SELECT * FROM step WHERE episode = ? ORDER BY idx", (row["id"],))
        self.assertEqual(len(steps), 2)
        self.assertEqual([r["request"] for r in steps], [sent[0][0], sent[1][0]])
        self.assertEqual(json.loads(steps[1]["reply"]), sent[1][2])  # the frame as sent
        self.assertEqual(steps[1]["reward"], final["reward"])
        self.assertIsNone(steps[0]["reward"])

    def test_journal_is_wal(self):
        self.s.http("POST", "/reset", {"task_id": CR})
        self.assertTrue(wait_until(lambda: os.path.exists(self.db)))
        self.assertEqual(query(self.db, "PRAGMA journal_mode")[0]["journal_mode"], "wal")

    def test_export_jsonl_and_csv_match_the_episodes(self):
        client = 'it "csv", with\nnewline'
        reset, r0, sent = play_http_cr(self, self.s, client, seed=9)
        eid = r0["observation"]["episode_id"]
        stored(self, self.s, eid, len(sent))
        listed = self.s.http("GET", "/api/episodes?limit=200")[2]["episodes"]

        status, h, text = get_text(self.s, "/api/export?format=jsonl&limit=200")
        self.assertEqual(status, 200)
        self.assertIn("ndjson", h["content-type"])
        self.assertIn("attachment", h["content-disposition"])
        lines = [json.loads(line) for line in text.splitlines()]
        self.assertEqual([x["id"] for x in lines], [x["id"] for x in listed])
        for x, ep in zip(lines, listed):
            self.assertEqual(x["episode_id"], ep["episode_id"])
            self.assertEqual(x["client"], ep["client"])
            self.assertEqual(len(x["steps"]), ep["steps"])
            self.assertIn("params", x)
        mine = next(x for x in lines if x["episode_id"] == eid)
        self.assertEqual(mine["params"], reset)
        self.assertEqual([st["reward"] for st in mine["steps"]],
                         [None] + [r[3]["reward"] for r in sent[1:]])

        status, h, text = get_text(self.s, "/api/export?format=csv&limit=200")
        self.assertEqual(status, 200)
        self.assertIn("text/csv", h["content-type"])
        self.assertIn(".csv", h["content-disposition"])
        rows = list(csv.DictReader(io.StringIO(text, newline="")))
        self.assertEqual([int(r["id"]) for r in rows], [x["id"] for x in listed])
        row = next(r for r in rows if r["episode_id"] == eid)
        self.assertEqual(row["client"], client)             # quoting survived the round trip
        self.assertEqual(row["family"], "code_review")
        self.assertEqual(int(row["steps"]), 3)
        self.assertEqual(json.loads(row["task_ids"]), [CR])
        self.assertEqual(json.loads(row["task_scores"]), sent[-1][3]["observation"]["task_scores"])
        # filters apply to exports as to lists
        status, _, text = get_text(self.s, "/api/export?format=jsonl&family=pr_review")
        self.assertEqual(status, 200)
        self.assertTrue(all(json.loads(l)["family"] == "pr_review" for l in text.splitlines()))
        status, _, text = get_text(self.s, "/api/export?format=csv&limit=1")
        self.assertEqual(len(list(csv.DictReader(io.StringIO(text, newline="")))), 1)


class DurabilityTest(unittest.TestCase):
    def test_sigkill_after_the_window_loses_no_answered_step(self):
        s = Server()
        db = os.path.join(s.dir, "store.db")
        try:
            answered = []
            for i in range(4):
                _reset, r0, sent = play_http_cr(self, s, "kill-%d" % i, seed=i,
                                                steps=(WRONG, None, WRONG))
                answered.append((r0["observation"]["episode_id"], sent))
            ws_reset, ws_r0, ws_sent = play_ws_pr(self, s, "kill-ws")
            time.sleep(1.0)  # well past the 250 ms window
            s.proc.send_signal(signal.SIGKILL)
            s.proc.wait(10)
        finally:
            s.stop()
        for eid, sent in answered:
            ep = query(db, "SELECT id, steps FROM episode WHERE episode_id = ?", (eid,))
            self.assertEqual(len(ep), 1, eid)
            rows = query(db, "SELECT idx, reward, error FROM step WHERE episode = ? ORDER BY idx",
                         (ep[0]["id"],))
            self.assertEqual([r["idx"] for r in rows], [0, 1, 2], eid)
            self.assertEqual([r["reward"] for r in rows],
                             [x[3].get("reward") if x[2] == 200 else None for x in sent])
            self.assertIsNotNone(rows[1]["error"])
        wid = ws_r0["data"]["observation"]["episode_id"]
        rows = query(db, "SELECT s.idx, s.reward FROM step s JOIN episode e ON e.id = s.episode"
                         " WHERE e.episode_id = ? ORDER BY s.idx", (wid,))
        self.assertEqual([r["reward"] for r in rows], [None, ws_sent[1][2]["data"]["reward"]])

    def test_sigterm_right_after_a_burst_loses_nothing(self):
        s = Server()
        db = os.path.join(s.dir, "store.db")
        n_conn, n_steps = 3, 120
        conns, eids, graded = [], [], []
        for i in range(n_conn):
            ws = s.ws()
            # 3 tasks x 10 attempts: 30 graded steps, then rejected ones (episode over)
            r = ws.request({"type": "reset", "data": {"seed": i, "max_attempts": 10,
                                                      "client": "burst"}})
            eids.append(r["data"]["observation"]["episode_id"])
            conns.append(ws)
        # pipelined: every step sent before any reply is read
        for ws in conns:
            for k in range(n_steps):
                ws.send({"type": "step", "data": WRONG if k % 2 else {"findings": []}})
        for ws in conns:
            replies = [ws.recv() for _ in range(n_steps)]
            graded.append(sum(r["type"] == "observation" for r in replies))
        self.assertEqual(graded, [30] * n_conn)
        s.stop_clean()  # SIGTERM at once; exit code 0
        for ws in conns:
            ws.wait_closed(2)
            ws.loop.close()
        rows = query(db, "SELECT e.episode_id, count(s.id) AS n, max(s.idx) AS last,"
                         " count(s.reward) AS rewarded FROM episode e"
                         " LEFT JOIN step s ON s.episode = e.id GROUP BY e.id")
        self.assertEqual(sorted(r["episode_id"] for r in rows), sorted(eids))
        for r in rows:
            self.assertEqual((r["n"], r["last"], r["rewarded"]), (n_steps, n_steps - 1, 30),
                             r["episode_id"])


class RetentionTest(unittest.TestCase):
    def test_store_max_episodes_keeps_the_newest(self):
        s = Server("--store-max-episodes", "2")
        db = os.path.join(s.dir, "store.db")
        try:
            eids = []
            for i in range(5):
                _reset, r0, _sent = play_http_cr(self, s, "keep-%d" % i, seed=i, steps=(WRONG,))
                eids.append(r0["observation"]["episode_id"])

            def kept():
                rows = query(db, "SELECT episode_id FROM episode ORDER BY id")
                return [r["episode_id"] for r in rows] == eids[-2:]
            self.assertTrue(wait_until(kept, 2.5),
                            query(db, "SELECT id, episode_id FROM episode ORDER BY id"))
            ids = [r["id"] for r in query(db, "SELECT id FROM episode")]
            orphans = query(db, "SELECT count(*) AS n FROM step WHERE episode NOT IN (%s)"
                            % ",".join(map(str, ids)))
            self.assertEqual(orphans[0]["n"], 0)
            self.assertEqual(query(db, "SELECT count(*) AS n FROM step")[0]["n"], 2)
            listed = s.http("GET", "/api/episodes")[2]
            self.assertEqual([e["episode_id"] for e in listed["episodes"]], eids[:-3:-1])
            self.assertEqual(s.http("GET", "/api/episodes/" + eids[0])[0], 404)
        finally:
            s.stop_clean()


class NoStoreTest(unittest.TestCase):
    def test_no_store_answers_503_and_still_serves_episodes(self):
        s = Server("--no-store")
        try:
            for path in ("/api/episodes", "/api/episodes/1", "/api/tasks/means",
                         "/api/export?format=csv"):
                status, _, r = s.http("GET", path)
                self.assertEqual(status, 503, (path, r))
                self.assertIn("--no-store", r["detail"])
            stats = s.http("GET", "/api/stats")[2]
            self.assertEqual(stats["store"], {"enabled": False})
            cfg = s.http("GET", "/api/config")[2]
            self.assertFalse(cfg["store"])
            self.assertIsNone(cfg["store_path"])
            self.assertIn("reviewgym_store_enabled 0\n", s.http("GET", "/metrics")[2])
            # playing is unaffected, and counted live
            _reset, _r0, sent = play_http_cr(self, s, "nostore")
            self.assertEqual(s.http("GET", "/api/stats")[2]["steps_total"], 2)
            self.assertFalse(os.path.exists(os.path.join(s.dir, "store.db")))
        finally:
            s.stop_clean()


PROM_LINE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[a-zA-Z_][a-zA-Z0-9_]*="[^"\\]*"'
                       r'(,[a-zA-Z_][a-zA-Z0-9_]*="[^"\\]*")*\})? (-?[0-9.eE+-]+|\+Inf|NaN)$')


def parse_prometheus(tc, text):
    """{name: [(labels text, value)]}, every line checked against the text format."""
    tc.assertTrue(text.endswith("\n"))
    out, types = {}, {}
    for line in text.splitlines():
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split(" ")
            tc.assertIn(kind, ("counter", "gauge", "histogram"), line)
            types[name] = kind
            continue
        if line.startswith("# HELP "):
            continue
        m = PROM_LINE.match(line)
        tc.assertIsNotNone(m, "not Prometheus text: %r" % line)
        base = re.sub(r"_(bucket|sum|count)$", "", m.group(1))
        tc.assertTrue(m.group(1) in types or base in types, "no # TYPE for %s" % m.group(1))
        out.setdefault(m.group(1), []).append((m.group(2) or "", float(m.group(4))))
    return out


class StatsTest(unittest.TestCase):
    """A fresh server: the live counters move by exactly what was played."""

    def test_stats_and_metrics_count_the_steps(self):
        s = Server()
        try:
            _reset, _r0, sent = play_http_cr(self, s, "stats")              # 1 rejected, 2 graded
            _wr, _w0, ws_sent = play_ws_pr(self, s, "stats-ws")            # 1 rejected, 1 graded
            cr_rewards = [x[3]["reward"] for x in sent[1:]]
            pr_reward = ws_sent[1][2]["data"]["reward"]
            # the store catches up within its window
            def written():
                st = s.http("GET", "/api/stats")[2]["store"]
                return st if st["written"] == 2 + 5 and st["queued"] == 0 else None
            store = wait_until(written)
            self.assertIsNotNone(store, s.http("GET", "/api/stats")[2]["store"])
            self.assertEqual((store["dropped"], store["failed"], store["episodes"]), (0, 0, 2))
            self.assertGreaterEqual(store["commits"], 1)

            time.sleep(1.05)  # steps_series holds whole seconds only
            st = s.http("GET", "/api/stats")[2]
            self.assertEqual(st["steps_total"], 3)
            self.assertEqual(st["resets_total"], 2)
            self.assertEqual(st["episodes_finished"], 2)
            self.assertEqual(len(st["steps_series"]), 60)
            self.assertEqual(sum(st["steps_series"]), 3)
            self.assertGreater(st["steps_per_s"], 0)
            by_task = st["rewards"]["by_task"]
            self.assertEqual(set(by_task), {CR, PR})
            cr = by_task[CR]
            self.assertEqual((cr["family"], cr["difficulty"], cr["n"]), ("code_review", "easy", 2))
            self.assertAlmostEqual(cr["mean"], sum(cr_rewards) / 2, places=6)
            self.assertEqual(sum(cr["hist"]), 2)
            self.assertEqual(cr["hist"][9], cr_rewards.count(1.0))
            self.assertEqual((by_task[PR]["n"], by_task[PR]["difficulty"]), (1, "hard"))
            diff = st["rewards"]["by_difficulty"]
            self.assertEqual({k: v["n"] for k, v in diff.items()}, {"easy": 2, "medium": 0, "hard": 1})
            for v in list(diff.values()) + list(by_task.values()):
                self.assertEqual(len(v["hist"]), 10)
                self.assertEqual(sum(v["hist"]), v["n"])
            self.assertEqual(st["sessions"]["by_family"], {"code_review": 1, "pr_review": 0})
            self.assertEqual(st["feed"], {"subscribers": 0, "dropped": 0})

            status, h, text = s.http("GET", "/metrics")
            self.assertEqual(status, 200)
            self.assertTrue(h["content-type"].startswith("text/plain; version=0.0.4"), h)
            m = parse_prometheus(self, text)
            self.assertEqual(m["reviewgym_steps_total"], [("", 3.0)])
            self.assertEqual(m["reviewgym_resets_total"], [("", 2.0)])
            self.assertEqual(m["reviewgym_episodes_finished_total"], [("", 2.0)])
            self.assertEqual(m["reviewgym_store_enabled"], [("", 1.0)])
            self.assertEqual(m["reviewgym_store_written_total"], [("", 7.0)])
            self.assertEqual(m["reviewgym_store_dropped_total"], [("", 0.0)])
            errors = dict(m["reviewgym_step_errors_total"])
            self.assertEqual(errors['{code="VALIDATION_ERROR"}'], 2)
            sessions = dict(m["reviewgym_sessions"])
            self.assertEqual(sessions['{family="code_review"}'], 1)
            for hist, count in (("reviewgym_step_latency_seconds", 3), ("reviewgym_reward", 3)):
                buckets = m[hist + "_bucket"]
                values = [v for _, v in buckets]
                self.assertEqual(values, sorted(values), hist + " buckets not cumulative")
                les = [float(l.split('"')[1]) for l, _ in buckets]
                self.assertEqual(les, sorted(les))
                self.assertEqual(buckets[-1][0], '{le="+Inf"}')
                self.assertEqual(buckets[-1][1], count)
                self.assertEqual(m[hist + "_count"], [("", float(count))])
            self.assertAlmostEqual(m["reviewgym_reward_sum"][0][1], sum(cr_rewards) + pr_reward,
                                   places=4)
        finally:
            s.stop_clean()

    def test_every_error_answer_is_counted_by_its_code(self):
        """Each error a client saw is counted once under the code it saw: WebSocket
        error frames by their "code", HTTP responses by status, in /metrics and in
        /api/stats (whose errors_total is their sum)."""
        s = Server("--no-store")
        try:
            ws = s.ws()
            codes = [ws.request(m)["data"]["code"] for m in
                     ("{not json", {"type": "zap"}, {"type": "step", "data": {}},
                      {"type": "step", "data": {"findings": "x"}})]
            ws.request({"type": "reset", "data": {"task_id": CR}})
            codes.append(ws.request({"type": "step", "data": {"findings": "x"}})["data"]["code"])
            ws.close()
            self.assertEqual(codes, ["INVALID_JSON", "UNKNOWN_TYPE", "EXECUTION_ERROR",
                                     "EXECUTION_ERROR", "VALIDATION_ERROR"])
            statuses = [s.http("GET", "/nope")[0], s.http("DELETE", "/reset")[0],
                        s.http("POST", "/step", {"action": {}})[0],
                        s.http("POST", "/reset", {"seed": "x"})[0],
                        s.http("GET", "/api/episodes?limit=zz")[0], s.http("GET", "/health")[0]]
            self.assertEqual(statuses, [404, 405, 409, 422, 503, 200])
            m = parse_prometheus(self, s.http("GET", "/metrics")[2])
            ws_errors = {k: v for k, v in m["reviewgym_ws_errors_total"] if v}
            self.assertEqual(ws_errors, {'{code="INVALID_JSON"}': 1, '{code="UNKNOWN_TYPE"}': 1,
                                         '{code="EXECUTION_ERROR"}': 2,
                                         '{code="VALIDATION_ERROR"}': 1})
            http_errors = {k: v for k, v in m["reviewgym_http_errors_total"] if v}
            self.assertEqual(http_errors, {'{status="404"}': 1, '{status="405"}': 1,
                                           '{status="409"}': 1, '{status="422"}': 1,
                                           '{status="503"}': 1})
            st = s.http("GET", "/api/stats")[2]
            self.assertEqual(st["errors"], {
                "ws": {"INVALID_JSON": 1, "UNKNOWN_TYPE": 1, "EXECUTION_ERROR": 2,
                       "VALIDATION_ERROR": 1},
                "http": {"404": 1, "405": 1, "409": 1, "422": 1, "503": 1}})
            self.assertEqual(st["errors_total"], 10)
        finally:
            s.stop_clean()


if __name__ == "__main__":
    unittest.main()
