"""The dashboard's read API (docs/api.md) against the real server: parameter
errors are 422 naming ["query", name]; unknown episodes 404; wrong methods 405 with
Allow; /api/episodes pages (before/next_before) visit every episode once, newest
first, and filter by family, task and start time; /api/config; /api/feed sends one
frame per step of every session (rejected steps included) and a subscriber that
never reads holds nobody up; X-Episode-Id and ?episode_id= pick the HTTP episode;
/web serves the dashboard directory given with --web-dir and nothing else."""
import base64
import json
import os
import shutil
import socket
import tempfile
import time
import unittest

from harness import TASKS, WS, Server, ServerTest, oracle_action, wait_until

CR = "cr-easy-playlist"
CR2 = "cr-medium-inventory-reservations"
PR = "pr-hard-jwt-secret"
WRONG = {"findings": [{"line_number": 3, "issue_type": "bug", "description": "the docstring"}]}
ESCALATE = {"decision": "escalate", "comment": "The signing key is hard-coded: critical."}


def feed(s, **kw):
    return WS("ws://127.0.0.1:%d/api/feed" % s.port, **kw)


def stalled_feed(port):
    """An /api/feed subscriber that completes the handshake and never reads again,
    with a tiny receive buffer."""
    sk = socket.socket()
    sk.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 2048)
    sk.settimeout(5)
    sk.connect(("127.0.0.1", port))
    key = base64.b64encode(os.urandom(16)).decode()
    sk.sendall(("GET /api/feed HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                "Connection: Upgrade\r\nSec-WebSocket-Key: %s\r\n"
                "Sec-WebSocket-Version: 13\r\n\r\n" % key).encode())
    head = b""
    while b"\r\n\r\n" not in head:
        head += sk.recv(1)
    return sk, head


class ApiTest(ServerTest):
    """A shared server with 4 code_review and 3 pr_review episodes, in two batches
    separated in time (for `since`)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.s
        cls.eids = []  # oldest first

        def cr(task):
            st, _, r = s.http("POST", "/reset", {"task_id": task, "max_attempts": 1,
                                                 "client": "api-test"})
            eid = r["observation"]["episode_id"]
            s.http("POST", "/step", {"action": WRONG, "episode_id": eid})
            cls.eids.append(eid)

        def pr():
            st, _, r = s.http("POST", "/reset", {"family": "pr_review", "task_id": PR})
            eid = r["observation"]["episode_id"]
            s.http("POST", "/step", {"action": ESCALATE, "episode_id": eid})
            cls.eids.append(eid)
        cr(CR), pr(), cr(CR2)
        time.sleep(0.05)
        cls.t_mid = time.time()
        time.sleep(0.05)
        cr(CR), pr(), cr(CR), pr()
        cls.cr_eids = [cls.eids[i] for i in (0, 2, 3, 5)]
        cls.pr_eids = [cls.eids[i] for i in (1, 4, 6)]

        def all_stored():
            st, _, r = s.http("GET", "/api/episodes?limit=200")
            return r if st == 200 and len(r["episodes"]) == 7 and \
                all(e["steps"] == 1 for e in r["episodes"]) else None
        cls.listed = wait_until(all_stored)
        assert cls.listed, s.http("GET", "/api/episodes?limit=200")

    def get(self, path):
        return self.s.http("GET", path)

    # -------------------------------------------------------------- errors

    def test_bad_parameters_are_422_naming_the_parameter(self):
        cases = [
            ("/api/episodes?limit=0", "limit"), ("/api/episodes?limit=201", "limit"),
            ("/api/episodes?limit=abc", "limit"), ("/api/episodes?limit=", "limit"),
            ("/api/episodes?before=-1", "before"), ("/api/episodes?before=x1", "before"),
            ("/api/episodes?since=x", "since"), ("/api/episodes?since=-5", "since"),
            ("/api/episodes?family=foo", "family"), ("/api/export?format=xml", "format"),
            ("/api/export?limit=10001", "limit"), ("/api/tasks/means?since=yesterday", "since"),
            ("/api/tasks/means?family=code", "family"), ("/api/export?family=x&format=csv", "family"),
        ]
        for path, name in cases:
            status, _, r = self.get(path)
            self.assertEqual(status, 422, (path, r))
            self.assertEqual(r["detail"][0]["loc"], ["query", name], (path, r))
            self.assertIsInstance(r["detail"][0]["msg"], str)
        # the largest allowed values are fine
        self.assertEqual(self.get("/api/episodes?limit=200")[0], 200)
        self.assertEqual(self.get("/api/export?limit=10000&format=csv")[0], 200)

    def test_unknown_episode_is_404(self):
        for ident in ("999999", "no-such-episode", "0"):
            status, _, r = self.get("/api/episodes/" + ident)
            self.assertEqual(status, 404, (ident, r))
            self.assertIsInstance(r["detail"], str)
            self.assertIn(ident, r["detail"])

    def test_wrong_method_is_405_with_allow(self):
        for method, path, allow in (("POST", "/api/episodes", "GET"),
                                    ("POST", "/api/episodes/1", "GET"),
                                    ("DELETE", "/api/stats", "GET"),
                                    ("PUT", "/api/config", "GET"),
                                    ("POST", "/api/export", "GET"),
                                    ("GET", "/api/custom/review", "POST"),
                                    ("POST", "/web/", "GET")):
            status, h, r = self.s.http(method, path)
            self.assertEqual(status, 405, (method, path, r))
            self.assertEqual(h.get("allow"), allow, (method, path))

    # -------------------------------------------------------------- listing

    def test_list_is_newest_first_with_the_documented_fields(self):
        eps = self.listed["episodes"]
        self.assertEqual([e["episode_id"] for e in eps], self.eids[::-1])
        self.assertEqual([e["id"] for e in eps], sorted((e["id"] for e in eps), reverse=True))
        self.assertIsNone(self.listed["next_before"])
        fields = {"id", "episode_id", "family", "task_ids", "difficulty", "seed", "client",
                  "started_at", "ended_at", "steps", "task_scores", "episode_score", "success",
                  "outcome", "done"}
        for e in eps:
            self.assertLessEqual(fields, set(e), e)
            self.assertTrue(e["done"])
        cr = next(e for e in eps if e["episode_id"] == self.eids[0])
        self.assertEqual((cr["family"], cr["client"], cr["task_ids"]), ("code_review", "api-test", [CR]))
        pr = next(e for e in eps if e["episode_id"] == self.eids[1])
        self.assertEqual((pr["family"], pr["client"], pr["outcome"]), ("pr_review", None, "escalated"))

    def test_pages_visit_every_episode_once(self):
        seen, before, pages = [], None, 0
        while True:
            path = "/api/episodes?limit=2" + ("&before=%d" % before if before else "")
            status, _, r = self.get(path)
            self.assertEqual(status, 200, r)
            self.assertLessEqual(len(r["episodes"]), 2)
            seen += [e["episode_id"] for e in r["episodes"]]
            pages += 1
            before = r["next_before"]
            if before is None:
                break
            self.assertEqual(before, r["episodes"][-1]["id"])
        self.assertEqual(seen, self.eids[::-1])
        self.assertEqual(pages, 4)
        # a page that ends exactly at the last episode says so
        r = self.get("/api/episodes?limit=7")[2]
        self.assertEqual(len(r["episodes"]), 7)
        self.assertIsNone(r["next_before"])

    def test_filters(self):
        def ids(path):
            status, _, r = self.get(path)
            self.assertEqual(status, 200, (path, r))
            return [e["episode_id"] for e in r["episodes"]]
        self.assertEqual(ids("/api/episodes?family=pr_review"), self.pr_eids[::-1])
        self.assertEqual(ids("/api/episodes?family=code_review"), self.cr_eids[::-1])
        with_cr = [self.eids[i] for i in (0, 3, 5)]
        self.assertEqual(ids("/api/episodes?task=" + CR), with_cr[::-1])
        self.assertEqual(ids("/api/episodes?task=" + CR2), [self.eids[2]])
        self.assertEqual(ids("/api/episodes?task=" + PR + "&family=code_review"), [])
        self.assertEqual(ids("/api/episodes?task=no-such-task"), [])
        self.assertEqual(ids("/api/episodes?since=%.3f" % self.t_mid), self.eids[3:][::-1])
        self.assertEqual(ids("/api/episodes?since=%.3f&family=pr_review" % self.t_mid),
                         [self.eids[6], self.eids[4]])
        self.assertEqual(ids("/api/episodes?since=%d" % (time.time() + 3600)), [])
        self.assertEqual(ids("/api/episodes?since=0"), self.eids[::-1])
        r = self.get("/api/episodes?task=%s&limit=1" % CR)[2]
        self.assertEqual(len(r["episodes"]), 1)
        r = self.get("/api/episodes?task=%s&limit=1&before=%d" % (CR, r["next_before"]))[2]
        self.assertEqual([e["episode_id"] for e in r["episodes"]], [self.eids[3]])

    def test_task_means(self):
        status, _, r = self.get("/api/tasks/means")
        self.assertEqual(status, 200, r)
        by = {t["task_id"]: t for t in r["tasks"]}
        self.assertEqual((by[CR]["episodes"], by[CR]["steps"], by[CR]["family"]), (3, 3, "code_review"))
        self.assertEqual((by[PR]["episodes"], by[PR]["family"]), (3, "pr_review"))
        self.assertGreater(by[PR]["mean_reward"], 0.5)
        only_pr = self.get("/api/tasks/means?family=pr_review")[2]["tasks"]
        self.assertEqual([t["task_id"] for t in only_pr], [PR])

    def test_config(self):
        status, _, c = self.get("/api/config")
        self.assertEqual(status, 200)
        self.assertIsInstance(c["version"], str)
        self.assertTrue(c["version"])
        self.assertIs(c["store"], True)
        self.assertTrue(c["store_path"].endswith("store.db"), c)
        self.assertIs(c["allow_model_calls"], False)
        self.assertEqual(c["families"], ["code_review", "pr_review"])


class LiveTest(ServerTest):
    """Sessions played while the API watches (its own server: these add episodes)."""

    def get(self, path):
        return self.s.http("GET", path)

    def test_feed_frames_one_per_step_from_other_sessions(self):
        f = feed(self.s)
        try:
            self.assertTrue(wait_until(
                lambda: self.get("/api/stats")[2]["feed"]["subscribers"] >= 1))
            st, _, r = self.s.http("POST", "/reset", {"family": "pr_review", "task_id": PR})
            eid = r["observation"]["episode_id"]
            st, _, rej = self.s.http("POST", "/step", {"action": {"decision": "nope"},
                                                        "episode_id": eid})
            self.assertEqual(st, 422)
            st, _, ok = self.s.http("POST", "/step", {"action": ESCALATE, "episode_id": eid})
            self.assertEqual(st, 200)
            frames = [f.recv(5), f.recv(5)]  # the reset sends none
        finally:
            f.close()
        for fr in frames:
            self.assertEqual(fr["type"], "step")
            self.assertEqual(set(fr["data"]), {"id", "episode_id", "family", "task_id", "index",
                                               "reward", "done", "episode_score", "success",
                                               "outcome", "error", "at"})
        a, b = frames[0]["data"], frames[1]["data"]
        stored = wait_until(lambda: (lambda x: x[2] if x[0] == 200 else None)(
            self.get("/api/episodes/" + eid)))
        self.assertTrue(stored, "episode %s not stored" % eid)
        for d in (a, b):
            self.assertEqual((d["id"], d["episode_id"], d["family"]), (stored["id"], eid, "pr_review"))
            self.assertLess(abs(d["at"] - time.time()), 30)
        self.assertEqual(b["task_id"], PR)
        self.assertEqual((a["index"], a["reward"], a["done"]), (0, None, False))
        self.assertIn('"nope"', a["error"])  # why it was rejected
        self.assertEqual((b["index"], b["reward"], b["done"], b["error"]),
                         (1, ok["reward"], True, None))
        self.assertEqual((b["episode_score"], b["success"], b["outcome"]),
                         (ok["observation"]["episode_score"], True, "escalated"))
        self.assertLessEqual(a["at"], b["at"])

    def test_feed_over_websocket_sessions_and_many_steps_in_order(self):
        f = feed(self.s)
        try:
            self.assertTrue(wait_until(
                lambda: self.get("/api/stats")[2]["feed"]["subscribers"] >= 1))
            ws = self.s.ws()
            ws.request({"type": "reset", "data": {"task_id": CR, "max_attempts": 10}})
            actions = [WRONG if k % 2 else {"findings": []} for k in range(8)] + [oracle_action(CR)]
            replies = [ws.request({"type": "step", "data": a})["data"] for a in actions]
            ws.close()
            got = [f.recv(5)["data"] for _ in actions]
        finally:
            f.close()
        self.assertEqual([d["index"] for d in got], list(range(9)))
        self.assertEqual([d["reward"] for d in got], [r["reward"] for r in replies])
        self.assertEqual([d["done"] for d in got], [False] * 8 + [True])
        self.assertEqual(len({d["episode_id"] for d in got}), 1)

    def test_a_feed_subscriber_that_never_reads_holds_nobody_up(self):
        ws = self.s.ws()
        ws.request({"type": "reset", "data": {"seed": 3, "max_attempts": 10}})
        t = time.monotonic()
        for _ in range(100):
            ws.request({"type": "step", "data": {"findings": []}})
        baseline = (time.monotonic() - t) * 3
        before = self.get("/api/stats")[2]["feed"]
        sk, head = stalled_feed(self.s.port)
        try:
            self.assertTrue(head.startswith(b"HTTP/1.1 101"), head)
            self.assertTrue(wait_until(lambda: self.get("/api/stats")[2]["feed"]["subscribers"]
                                       == before["subscribers"] + 1))
            t = time.monotonic()
            for k in range(300):
                r = ws.request({"type": "step", "data": {"findings": []}})
                self.assertIn(r["type"], ("observation", "error"))
            took = time.monotonic() - t
            self.assertLess(took, max(3 * baseline, 1.0) + 2.0, "steps slowed down by the feed")
            a = time.monotonic()
            self.assertEqual(self.get("/health")[0], 200)
            self.assertLess(time.monotonic() - a, 0.5)
            after = self.get("/api/stats")[2]["feed"]
            self.assertEqual(after["subscribers"], before["subscribers"] + 1)
            self.assertGreaterEqual(after["dropped"], before["dropped"])
            self.assertLessEqual(after["dropped"] - before["dropped"], 300)
            # keep going until the kernel's buffers are full: frames are then
            # dropped (and counted), and the session still is not held up
            sent = 300
            while sent < 40000 and self.get("/api/stats")[2]["feed"]["dropped"] == after["dropped"]:
                t = time.monotonic()
                for _ in range(500):
                    ws.send({"type": "step", "data": {"findings": []}})
                for _ in range(500):
                    ws.recv()
                self.assertLess(time.monotonic() - t, 5.0)
                sent += 500
            st = self.get("/api/stats")[2]
            self.assertGreater(st["feed"]["dropped"], after["dropped"],
                               "a reader that never reads got %d frames without a drop" % sent)
            self.assertEqual(st["feed"]["subscribers"], before["subscribers"] + 1)
            metrics = self.get("/metrics")[2]
            self.assertIn("reviewgym_feed_dropped_total %d\n" % st["feed"]["dropped"], metrics)
            a = time.monotonic()
            self.assertEqual(self.get("/health")[0], 200)
            self.assertLess(time.monotonic() - a, 0.5)
        finally:
            sk.close()
            ws.close()
        # the server notices the subscriber leave
        self.assertTrue(wait_until(lambda: self.get("/api/stats")[2]["feed"]["subscribers"]
                                   == before["subscribers"]))

    def test_x_episode_id_and_query_pick_the_http_episode(self):
        s = self.s
        status, _, a = s.http("POST", "/reset", {"task_id": CR, "max_attempts": 3},
                              headers={"X-Episode-Id": "hdr-episode-a"})
        self.assertEqual(status, 200, a)
        self.assertEqual(a["observation"]["episode_id"], "hdr-episode-a")
        status, _, b = s.http("POST", "/reset?episode_id=query-episode-b",
                              {"task_id": CR2, "max_attempts": 3})
        self.assertEqual(b["observation"]["episode_id"], "query-episode-b")
        s.http("POST", "/reset", {"task_id": CR, "max_attempts": 3})  # the default session
        # header and query reach their own episodes, the default one stays untouched
        status, _, r = s.http("POST", "/step", {"action": WRONG},
                              headers={"X-Episode-Id": "hdr-episode-a"})
        self.assertEqual(status, 200, r)
        self.assertEqual((r["observation"]["episode_id"], r["observation"]["task_id"]),
                         ("hdr-episode-a", CR))
        status, _, r = s.http("POST", "/step?episode_id=query-episode-b", {"action": WRONG})
        self.assertEqual(status, 200, r)
        self.assertEqual((r["observation"]["episode_id"], r["observation"]["task_id"]),
                         ("query-episode-b", CR2))
        self.assertEqual(s.http("GET", "/state?episode_id=hdr-episode-a")[2]["step_count"], 1)
        self.assertEqual(s.http("GET", "/state?episode_id=query-episode-b")[2]["step_count"], 1)
        self.assertEqual(s.http("GET", "/state")[2]["step_count"], 0)
        # a body id wins over the header
        status, _, r = s.http("POST", "/step", {"action": WRONG, "episode_id": "query-episode-b"},
                              headers={"X-Episode-Id": "hdr-episode-a"})
        self.assertEqual(r["observation"]["episode_id"], "query-episode-b")
        status, _, r = s.http("POST", "/step", {"action": WRONG},
                              headers={"X-Episode-Id": "never-reset"})
        self.assertEqual(status, 404, r)
        self.assertIn("never-reset", r["detail"])
        # stored under those ids; reusing an id starts a new stored episode, found first
        e = wait_until(lambda: (lambda x: x if x[0] == 200 and len(x[2]["steps"]) == 2 else None)(
            s.http("GET", "/api/episodes/query-episode-b")))
        self.assertTrue(e)
        old = wait_until(lambda: (lambda x: x[2] if x[0] == 200 and len(x[2]["steps"]) == 1
                                  else None)(s.http("GET", "/api/episodes/hdr-episode-a")))
        self.assertTrue(old)
        s.http("POST", "/reset", {"task_id": CR2}, headers={"X-Episode-Id": "hdr-episode-a"})
        new = wait_until(lambda: (lambda x: x[2] if x[0] == 200 and x[2]["id"] != old["id"]
                                  else None)(s.http("GET", "/api/episodes/hdr-episode-a")))
        self.assertTrue(new)
        self.assertGreater(new["id"], old["id"])
        self.assertEqual((new["task_ids"], new["steps"]), ([CR2], []))
        self.assertEqual(s.http("GET", "/api/episodes/%d" % old["id"])[2]["task_ids"], [CR])


class WebDirTest(unittest.TestCase):
    def test_web_dir_is_served(self):
        d = tempfile.mkdtemp(prefix="rg-web-")
        index = "<!doctype html><title>reviewgym</title><script src=app.js></script>\n"
        app = "console.log('reviewgym dashboard');\n"
        for name, text in (("index.html", index), ("app.js", app), ("notes.md", "# not served\n")):
            with open(os.path.join(d, name), "w") as f:
                f.write(text)
        s = Server("--web-dir", d)
        try:
            status, h, r = s.http("GET", "/web")
            self.assertEqual(status, 302)
            self.assertEqual(h["location"], "web/")
            status, h, r = s.http("GET", "/web/")
            self.assertEqual((status, r), (200, index))
            self.assertTrue(h["content-type"].startswith("text/html"), h)
            status, h, r = s.http("GET", "/web/index.html")
            self.assertEqual((status, r), (200, index))
            status, h, r = s.http("GET", "/web/app.js")
            self.assertEqual((status, r), (200, app))
            self.assertTrue(h["content-type"].startswith("text/javascript"), h)
            for path in ("/web/../README.md", "/web/missing.js", "/web/notes.md",
                         "/web/%2e%2e/README.md", "/web/..%2fREADME.md"):
                status, _, r = s.http("GET", path)
                self.assertEqual(status, 404, (path, r))
            # the OpenEnv routes are unaffected
            self.assertEqual(s.http("GET", "/health")[0], 200)
        finally:
            s.stop_clean()

    def test_no_web_dir_is_404_with_a_clear_detail(self):
        # a copy of the bank with no web/ beside it (the default dashboard location)
        d = tempfile.mkdtemp(prefix="rg-noweb-")
        shutil.copytree(TASKS, os.path.join(d, "tasks"))
        s = Server("--tasks", os.path.join(d, "tasks"))
        try:
            for path in ("/web", "/web/", "/web/index.html"):
                status, _, r = s.http("GET", path)
                self.assertEqual(status, 404, path)
                self.assertIn("--web-dir", r["detail"])
        finally:
            s.stop_clean()
            shutil.rmtree(d)

    def test_web_dir_without_index_html_fails_to_start(self):
        d = tempfile.mkdtemp(prefix="rg-web-")
        with open(os.path.join(d, "app.js"), "w") as f:
            f.write("1;\n")
        with self.assertRaises(RuntimeError) as cm:
            Server("--web-dir", d)
        self.assertIn("index.html", str(cm.exception))


if __name__ == "__main__":
    unittest.main()
