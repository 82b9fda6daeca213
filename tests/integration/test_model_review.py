"""POST /api/custom/review against the real server and a fake OpenAI-compatible
endpoint (fake_llm.py): the model's answer comes back graded (findings, reward,
breakdown), with its fixed code and a unified diff; the key reaches the model as
a Bearer token and nowhere else (server log, SQLite file and WAL, the stored
episode, the reply); the run is stored as a "dashboard-model" episode; model
failures are 502 "model call failed", request errors 422 naming the field, and a
server without --allow-model-calls answers 403 without calling out. A slow model
does not hold the server up."""
import json
import os
import threading
import time
import unittest

from fake_llm import FakeLLM
from harness import Server, wait_until

KEY = "sk-test-123"
MODEL = "fake-reviewer-1"
CODE = ("def average(xs):\n"
        "    total = 0\n"
        "    for x in xs:\n"
        "        total += x\n"
        "    return total / (len(xs) - 1)\n")
FIXED = CODE.replace("(len(xs) - 1)", "len(xs)")
# the server's custom tasks take issues in the bank's format (docs/task-format)
ISSUE = {"id": "off-by-one-mean", "lines": [5, 5], "type": "bug", "severity": "medium",
         "class": "off_by_one", "concepts": [["off by one", "len(xs) - 1"]],
         "fix_concepts": [["len(xs)"]], "explanation": "Divides by len(xs) - 1.",
         "fix": "Divide by len(xs)."}
ANSWER = json.dumps({
    "decision": "request_changes",
    "comment": "Off by one: the mean divides by len(xs) - 1 instead of len(xs).",
    "findings": [{"line_number": 5, "issue_type": "bug",
                  "description": "Divides by len(xs) - 1 instead of len(xs): off by one.",
                  "suggested_fix": "return total / len(xs)"}],
    "fixed_code": FIXED})


class ModelReviewTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.fake = FakeLLM([("content", ANSWER)]).start()
        cls.s = Server("--allow-model-calls", "--log-level", "debug")
        cls.db = os.path.join(cls.s.dir, "store.db")

    @classmethod
    def tearDownClass(cls):
        try:
            cls.s.stop_clean()
        finally:
            cls.fake.stop()

    def review(self, script, issues=True, **model):
        self.fake.set_script(script)
        m = {"base_url": self.fake.base_url, "name": MODEL, "api_key": KEY}
        m.update(model)
        body = {"code": CODE, "title": "mean helper", "model": m}
        if issues:
            body["expected_issues"] = [ISSUE]
        return self.s.http("POST", "/api/custom/review", body)

    def stored(self, episode, steps=1):
        """The stored episode once its steps are committed (the writer is async)."""
        def get():
            st, _, e = self.s.http("GET", "/api/episodes/%d" % episode)
            return e if st == 200 and len(e["steps"]) == steps else None
        e = wait_until(get)
        self.assertIsNotNone(e, "episode %d never reached the store" % episode)
        return e

    def test_review_is_graded_with_fix_diff_and_usage(self):
        n0 = len(self.fake.completions())
        status, _, r = self.review([("content", ANSWER)])
        self.assertEqual(status, 200, r)
        self.assertTrue(r["task_id"].startswith("custom-"), r["task_id"])
        self.assertEqual(r["model"], MODEL)
        self.assertEqual(r["text"], ANSWER)
        self.assertIsNone(r["error"])
        self.assertEqual([(f["line_number"], f["issue_type"]) for f in r["findings"]], [(5, "bug")])
        self.assertIn("len(xs) - 1", r["findings"][0]["description"])
        self.assertIsInstance(r["reward"], float)
        self.assertGreater(r["reward"], 0.5)  # the one real issue, on its line
        self.assertEqual(r["breakdown"]["issues_found"], 1)
        self.assertEqual(r["breakdown"]["reward"], r["reward"])
        self.assertIsInstance(r["feedback"], str)
        self.assertEqual(r["fixed_code"], FIXED)
        self.assertIn("--- a/snippet.py\n+++ b/snippet.py\n@@ ", r["diff"])
        self.assertIn("\n-    return total / (len(xs) - 1)\n+    return total / len(xs)\n", r["diff"])
        self.assertGreaterEqual(r["latency_ms"], 0)
        # exactly one call, and the usage the endpoint reported comes back
        calls = self.fake.completions()[n0:]
        self.assertEqual(len(calls), 1)
        self.assertEqual(r["usage"]["prompt_tokens"], calls[0]["usage"]["prompt_tokens"])
        self.assertEqual(r["usage"]["completion_tokens"], calls[0]["usage"]["completion_tokens"])
        # what the model was sent: the key as a Bearer token, the model, the code
        self.assertEqual(calls[0]["headers"]["authorization"], "Bearer " + KEY)
        self.assertEqual(calls[0]["body"]["model"], MODEL)
        user = calls[0]["body"]["messages"][-1]["content"]
        self.assertIn("   5 |     return total / (len(xs) - 1)", user)

        # stored like any episode, client "dashboard-model", with the model's review
        e = self.stored(r["episode"])
        self.assertEqual(e["episode_id"], r["episode_id"])
        self.assertEqual(e["client"], "dashboard-model")
        self.assertEqual(e["family"], "pr_review")
        self.assertEqual(e["task_ids"], [r["task_id"]])
        self.assertTrue(e["done"])
        step = e["steps"][0]
        self.assertEqual(step["reward"], r["reward"])
        self.assertIsNone(step["error"])
        self.assertEqual(step["normalized"]["decision"], "request_changes")
        self.assertEqual(step["normalized"]["findings"][0]["line_number"], 5)
        self.assertNotIn("fixed_code", step["action"])  # the fix is not part of the review

        # the key: used for the call only, never logged, stored or echoed
        time.sleep(0.3)  # let the writer commit everything (250 ms window)
        self.assertNotIn(KEY, json.dumps(r))
        self.assertNotIn(KEY, json.dumps(e))
        self.assertNotIn(KEY, self.s.logs())
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(self.db + suffix):
                with open(self.db + suffix, "rb") as f:
                    self.assertNotIn(KEY.encode(), f.read(), "key found in store.db" + suffix)
        status, _, export = self.s.http("GET", "/api/export?format=jsonl")
        self.assertEqual(status, 200)
        self.assertNotIn(KEY, export if isinstance(export, str) else json.dumps(export))

    def test_without_expected_issues_reward_is_null(self):
        status, _, r = self.review([("content", ANSWER)], issues=False)
        self.assertEqual(status, 200, r)
        self.assertIsNone(r["reward"])
        self.assertIsNone(r["breakdown"])
        self.assertIn("no expected issues", r["feedback"])
        self.assertEqual(len(r["findings"]), 1)  # the findings still come back
        self.assertEqual(r["fixed_code"], FIXED)
        e = self.stored(r["episode"])
        self.assertIsNone(e["steps"][0]["reward"])
        self.assertEqual(e["client"], "dashboard-model")

    def test_model_text_without_json_is_answered_with_the_error(self):
        status, _, r = self.review([("content", "Looks fine to me, ship it.")])
        self.assertEqual(status, 200, r)
        self.assertEqual(r["text"], "Looks fine to me, ship it.")
        self.assertIn("no JSON object", r["error"])
        self.assertIsNone(r["reward"])
        self.assertIsNone(r["fixed_code"])
        self.assertIsNone(r["diff"])
        # a rejected action is a step too, with its error and no reward
        e = self.stored(r["episode"])
        self.assertIsNotNone(e["steps"][0]["error"])
        self.assertIsNone(e["steps"][0]["reward"])

    def test_endpoint_failures_are_502_model_call_failed(self):
        for script, word in (([("status", 401, None)], "401"),
                             ([("garbage",)], "not JSON")):
            status, _, r = self.review(script)
            self.assertEqual(status, 502, r)
            self.assertTrue(r["detail"].startswith("model call failed"), r["detail"])
            self.assertIn(word, r["detail"])
            self.assertNotIn(KEY, r["detail"])
        self.assertNotIn(KEY, self.s.logs())

    def test_request_errors_are_422_naming_the_field(self):
        n0 = len(self.fake.requests)
        url = self.fake.base_url
        cases = [
            ({"base_url": "ftp://127.0.0.1/v1", "name": MODEL}, ["body", "model", "base_url"]),
            ({"base_url": url}, ["body", "model", "name"]),
            ({"base_url": url, "name": ""}, ["body", "model", "name"]),
            ({"base_url": url, "name": MODEL, "organization": "x"},
             ["body", "model", "organization"]),
            ({"name": MODEL}, ["body", "model", "base_url"]),
        ]
        for model, loc in cases:
            status, _, r = self.s.http("POST", "/api/custom/review", {"code": CODE, "model": model})
            self.assertEqual(status, 422, (model, r))
            self.assertEqual(r["detail"][0]["loc"], loc, (model, r))
        for body, loc in (({"code": CODE}, ["body", "model"]),
                          ({"model": {"base_url": url, "name": MODEL}}, ["body", "code"]),
                          ({"code": CODE, "model": {"base_url": url, "name": MODEL},
                            "temperature": 5}, ["body", "temperature"])):
            status, _, r = self.s.http("POST", "/api/custom/review", body)
            self.assertEqual(status, 422, (body, r))
            self.assertEqual(r["detail"][0]["loc"], loc, (body, r))
        status, _, r = self.s.http("POST", "/api/custom/review", raw=b"{nope")
        self.assertEqual(status, 422, r)
        self.assertEqual(len(self.fake.requests), n0, "a rejected request called the model")

    def test_a_slow_model_does_not_hold_the_server_up(self):
        result = {}

        def call():
            result["reply"] = self.review([("sleep", 2, ANSWER)])
        t0 = time.monotonic()
        th = threading.Thread(target=call)
        th.start()
        self.assertTrue(wait_until(lambda: len(self.fake.requests) and
                                   self.fake.requests[-1]["status"] is None, 2))
        slowest = 0
        while th.is_alive() and time.monotonic() - t0 < 1.5:
            a = time.monotonic()
            self.assertEqual(self.s.http("GET", "/health")[0], 200)
            self.assertEqual(self.s.http("GET", "/api/stats")[0], 200)
            self.assertEqual(self.s.http("GET", "/api/episodes?limit=1")[0], 200)
            status, _, r = self.s.http("POST", "/reset", {"task_id": "cr-easy-playlist"})
            self.assertEqual(status, 200, r)
            slowest = max(slowest, time.monotonic() - a)
            time.sleep(0.1)
        self.assertTrue(th.is_alive(), "the review did not wait for the slow model")
        self.assertLess(slowest, 0.5)
        th.join(10)
        status, _, r = result["reply"]
        self.assertEqual(status, 200, r)
        self.assertGreaterEqual(r["latency_ms"], 1900)
        self.assertEqual(r["fixed_code"], FIXED)


class ModelCallsOffTest(unittest.TestCase):
    def test_without_allow_model_calls_403_and_no_call(self):
        with FakeLLM([("content", ANSWER)]) as fake:
            s = Server()
            try:
                status, _, r = s.http("POST", "/api/custom/review",
                                      {"code": CODE, "model": {"base_url": fake.base_url,
                                                               "name": MODEL, "api_key": KEY}})
                self.assertEqual(status, 403, r)
                self.assertIn("--allow-model-calls", r["detail"])
                self.assertFalse(s.http("GET", "/api/config")[2]["allow_model_calls"])
                self.assertEqual(fake.requests, [])
            finally:
                s.stop_clean()


if __name__ == "__main__":
    unittest.main()
