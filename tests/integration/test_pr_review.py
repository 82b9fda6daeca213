"""pr_review against the real server over WebSocket and HTTP: every scenario's
ideal path, a negotiation with pushback and revisions, escalation judgment both
ways, clean PRs, custom review with and without ground truth, GET /tasks,
POST /diff and POST /config/custom, with errors that name their field."""
import unittest

from harness import GenericClient, Server, ServerTest, check_schema, load_task

VAGUE = "This needs another look before it can go in."


def verdict(task, version):
    if not version["issues"]:
        return "correct"
    sev = {i["id"]: i["severity"] for i in task["issues"]}
    return "critical" if any(sev[i["id"]] == "critical" for i in version["issues"]) else "flawed"


def ideal_action(obs):
    """The ideal stance for the revision shown, explained with the ground truth."""
    task = load_task(obs["task_id"])
    version = task["versions"][obs["revision"] - 1]
    v = verdict(task, version)
    if v == "correct":
        return {"decision": "approve", "comment": "The change is correct and complete."}
    defs = {i["id"]: i for i in task["issues"]}
    text = " ".join(defs[i["id"]]["explanation"] + " " + defs[i["id"]]["fix"]
                    for i in version["issues"])
    return {"decision": "escalate" if v == "critical" else "request_changes", "comment": text}


class PrReviewTest(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.schema = cls.s.http("GET", "/schema?family=pr_review")[2]
        tasks = cls.s.http("GET", "/tasks")[2]["tasks"]
        cls.scenarios = [t["id"] for t in tasks if t["family"] == "pr_review"]

    def play_ws(self, task_id, policy):
        c = GenericClient(self.s)
        r = c.reset(family="pr_review", task_id=task_id)
        check_schema(self, r.observation, self.schema["observation"], "reset.observation")
        self.assertIsNone(r.reward)
        obs, rewards = r.observation, []
        while not r.done:
            r = c.step(policy(obs))
            check_schema(self, r.observation, self.schema["observation"], "step.observation")
            rewards.append(r.reward)
            obs = r.observation
        st = c.state()
        check_schema(self, st, self.schema["state"], "state")
        c.close()
        return obs, rewards, st

    def test_every_scenario_ideal_path_succeeds_over_ws(self):
        self.assertGreaterEqual(len(self.scenarios), 12)
        kinds = set()
        for tid in self.scenarios:
            obs, rewards, st = self.play_ws(tid, ideal_action)
            kinds.add(obs["kind"])
            self.assertTrue(obs["success"], "%s: %s" % (tid, obs["feedback"]))
            self.assertGreaterEqual(obs["episode_score"], 0.95, tid)
            self.assertEqual(st["turn_rewards"], rewards)
            self.assertEqual(st["outcome"], obs["outcome"])
            self.assertTrue(st["success"])
            self.assertEqual(obs["allowed_decisions"], [])
            self.assertEqual(len(obs["history"]), obs["turn"])
        self.assertEqual(kinds, {"single-pass-review", "iterative-negotiation",
                                 "escalation-judgment"})

    def test_negotiation_over_http_holds_firm_until_the_real_fix(self):
        s = self.s
        st, _, r = s.http("POST", "/reset", {"family": "pr_review",
                                              "task_id": "pr-medium-sqli-negotiation"})
        self.assertEqual(st, 200)
        obs = r["observation"]
        eid = obs["episode_id"]
        self.assertEqual((obs["revision"], obs["turn"], obs["max_turns"]), (1, 0, 6))
        self.assertIn("+def _escape(value):", obs["diff"])
        self.assertEqual(set(r), {"observation", "reward", "done"})

        def step(action):
            status, _, body = s.http("POST", "/step", {"action": action, "episode_id": eid})
            self.assertEqual(status, 200, body)
            return body

        # a vague request: the author pushes back, nothing changes
        b = step({"decision": "request_changes", "comment": VAGUE})
        self.assertEqual(b["observation"]["revision"], 1)
        self.assertLess(b["reward"], 0.7)
        self.assertIn("does not name the root cause", b["observation"]["feedback"])
        # naming the root cause: the author defends the escaping (same code)
        b = step(ideal_action(b["observation"]))
        self.assertEqual(b["observation"]["revision"], 1)
        self.assertIn("standard mitigation", b["observation"]["author_message"])
        self.assertEqual(b["reward"], 1.0)
        # hold firm: the partial fix arrives, with a new diff
        before = b["observation"]["diff"]
        b = step(ideal_action(b["observation"]))
        self.assertEqual(b["observation"]["revision"], 2)
        self.assertNotEqual(b["observation"]["diff"], before)
        self.assertIn("pushed revision 2", b["observation"]["feedback"])
        # approving the partial fix would be caving; hold firm again
        b = step(ideal_action(b["observation"]))
        self.assertEqual(b["observation"]["revision"], 3)
        b = step({"decision": "approve", "comment": "Bound parameter and allow-list: good."})
        self.assertTrue(b["done"])
        obs = b["observation"]
        self.assertTrue(obs["success"])
        self.assertEqual(obs["outcome"], "merged")
        self.assertEqual([h["decision"] for h in obs["history"]],
                         ["request_changes"] * 4 + ["approve"])
        self.assertEqual(obs["history"][0]["comment"], VAGUE)
        status, _, st = s.http("GET", "/state?episode_id=" + eid)
        self.assertEqual(st["family"], "pr_review")
        self.assertEqual(st["step_count"], 5)
        # the episode score: 0.5 x mean turn reward + 0.5 for success
        self.assertAlmostEqual(obs["episode_score"],
                               round(0.5 * sum(st["turn_rewards"]) / 5 + 0.5, 4), places=4)
        status, _, body = s.http("POST", "/step", {"action": {"decision": "approve"},
                                                   "episode_id": eid})
        self.assertEqual(status, 409)

    def test_caving_to_a_partial_fix_fails_the_episode(self):
        c = GenericClient(self.s)
        r = c.reset(family="pr_review", task_id="pr-medium-sqli-negotiation")
        r = c.step(ideal_action(r.observation))
        r = c.step(ideal_action(r.observation))
        self.assertEqual(r.observation["revision"], 2)
        r = c.step({"decision": "approve", "comment": "OK, that's good enough."})
        self.assertTrue(r.done)
        self.assertEqual(r.reward, 0.0)
        self.assertFalse(r.observation["success"])
        self.assertEqual(r.observation["outcome"], "merged_broken")
        self.assertEqual(r.observation["episode_score"], 0.0)
        c.close()

    def test_escalation_judgment(self):
        c = GenericClient(self.s)
        # a hard-coded signing secret: escalate at once
        r = c.reset(family="pr_review", task_id="pr-hard-jwt-secret")
        r = c.step({"decision": "escalate", "comment": "The JWT signing secret is hard-coded."})
        self.assertTrue(r.done)
        self.assertTrue(r.observation["success"])
        self.assertEqual(r.observation["outcome"], "escalated")
        # requesting changes first earns little, and late escalation is no success
        r = c.reset(family="pr_review", task_id="pr-hard-jwt-secret")
        r = c.step({"decision": "request_changes", "comment": VAGUE})
        self.assertLessEqual(r.reward, 0.3)
        r = c.step({"decision": "escalate", "comment": "escalating"})
        self.assertFalse(r.observation["success"])
        self.assertEqual(r.observation["outcome"], "escalated_late")
        # approving it is the worst outcome
        r = c.reset(family="pr_review", task_id="pr-hard-jwt-secret")
        r = c.step({"decision": "approve", "comment": "LGTM"})
        self.assertEqual((r.reward, r.observation["episode_score"]), (0.0, 0.0))
        # a timing leak is not a critical flaw: escalation over-reacts
        r = c.reset(family="pr_review", task_id="pr-hard-timing-compare")
        r = c.step({"decision": "escalate", "comment": "timing attack"})
        self.assertFalse(r.observation["success"])
        self.assertEqual(r.observation["outcome"], "over_escalated")
        self.assertLessEqual(r.reward, 0.1)
        c.close()

    def test_clean_pr_must_be_approved(self):
        c = GenericClient(self.s)
        r = c.reset(family="pr_review", task_id="pr-easy-clean-slugify")
        self.assertEqual(r.observation["max_turns"], 1)
        r = c.step({"decision": "request_changes", "comment": VAGUE})
        self.assertTrue(r.done)
        self.assertEqual(r.observation["outcome"], "turn_limit")
        self.assertFalse(r.observation["success"])
        r = c.reset(family="pr_review", task_id="pr-easy-clean-slugify")
        r = c.step({"decision": "LGTM", "comment": "Clean and well tested."})
        self.assertTrue(r.observation["success"])
        self.assertIn('read decision "LGTM" as "approve"', r.observation["warnings"])
        c.close()

    def test_bad_actions_name_the_field_and_keep_the_episode(self):
        c = GenericClient(self.s)
        r = c.reset(family="pr_review", task_id="pr-medium-sqli-negotiation")
        before = c.state()
        reply = c.ws.request({"type": "step", "data": {"decision": "merge-it-now"}})
        self.assertEqual(reply["type"], "error")
        self.assertEqual(reply["data"]["code"], "VALIDATION_ERROR")
        self.assertIn("decision", reply["data"]["message"])
        reply = c.ws.request({"type": "step", "data": {"comment": "no decision"}})
        self.assertIn("decision", reply["data"]["message"])
        reply = c.ws.request({"type": "step", "data": {"decision": "approve", "colour": "red"}})
        self.assertIn("colour", reply["data"]["message"])
        self.assertEqual(c.state(), before)
        # model text with a fence is repaired
        r = c.step({"text": "Review:\n```json\n{'decision': 'request_changes', 'comment': 'vague',}\n```"})
        self.assertEqual(r.observation["turn"], 1)
        self.assertIn("parsed the action from text", r.observation["warnings"])
        c.close()
        status, _, body = self.s.http("POST", "/reset", {"family": "pr_review",
                                                          "task_id": "cr-easy-order-stats"})
        self.assertEqual(status, 422)
        self.assertEqual(body["detail"][0]["loc"], ["body", "task_id"])
        status, _, body = self.s.http("POST", "/reset", {"family": "pr_review",
                                                          "tasks": ["pr-easy-clean-slugify"]})
        self.assertEqual(status, 422)
        self.assertEqual(body["detail"][0]["loc"], ["body", "tasks"])

    def test_seeded_reset_is_reproducible_and_task_id_picks_the_family(self):
        a = self.s.http("POST", "/reset", {"family": "pr_review", "seed": 7,
                                           "episode_id": "e1"})[2]
        b = self.s.http("POST", "/reset", {"family": "pr_review", "seed": 7,
                                           "episode_id": "e1"})[2]
        self.assertEqual(a, b)
        # a pr_review task id is enough: the session switches family by itself
        r = self.s.http("POST", "/reset", {"task_id": "pr-easy-average-empty"})[2]
        self.assertEqual(r["observation"]["family"], "pr_review")

    def test_schema_endpoint_per_family(self):
        self.assertEqual(self.schema["action"]["title"], "PrReviewAction")
        self.assertEqual(set(self.schema), {"action", "observation", "state"})
        status, _, body = self.s.http("GET", "/schema?family=chess")
        self.assertEqual(status, 422)
        self.assertEqual(body["detail"][0]["loc"], ["query", "family"])
        self.assertEqual(self.s.http("GET", "/schema")[2]["action"]["title"], "CodeReviewAction")


class RoutesTest(ServerTest):
    def test_tasks_lists_both_families(self):
        status, _, body = self.s.http("GET", "/tasks")
        self.assertEqual(status, 200)
        counts, tasks = body["counts"], body["tasks"]
        self.assertGreaterEqual(counts["code_review"], 20)
        self.assertGreaterEqual(counts["pr_review"], 12)
        self.assertEqual(counts["total"], len(tasks))
        by_id = {t["id"]: t for t in tasks}
        cr, pr = by_id["cr-easy-order-stats"], by_id["pr-medium-sqli-negotiation"]
        self.assertEqual((cr["family"], cr["difficulty"], cr["num_issues"]),
                         ("code_review", "easy", 4))
        self.assertEqual((pr["family"], pr["kind"], pr["num_versions"], pr["max_turns"]),
                         ("pr_review", "iterative-negotiation", 3, 6))
        for t in tasks:
            self.assertTrue({"id", "family", "difficulty", "title", "num_issues"} <= set(t))

    def test_diff_between_two_texts(self):
        old = "a\nb\nc\nd\n"
        new = "a\nB\nc\nd\ne\n"
        status, _, body = self.s.http("POST", "/diff", {"old": old, "new": new,
                                                        "path": "x.py", "context": 1})
        self.assertEqual(status, 200, body)
        self.assertIn("--- a/x.py\n+++ b/x.py\n", body["diff"])
        self.assertIn("-b\n+B\n", body["diff"])
        lines = [l for h in body["hunks"] for l in h["lines"]]
        added = [(l["new_lineno"], l["content"]) for l in lines if l["origin"] == "+"]
        self.assertEqual(added, [(2, "B"), (5, "e")])
        removed = [(l["old_lineno"], l["content"]) for l in lines if l["origin"] == "-"]
        self.assertEqual(removed, [(2, "b")])
        same = self.s.http("POST", "/diff", {"old": old, "new": old})[2]
        self.assertEqual((same["diff"], same["hunks"]), ("", []))
        status, _, body = self.s.http("POST", "/diff", {"new": new})
        self.assertEqual((status, body["detail"][0]["loc"]), (422, ["body", "old"]))
        status, _, body = self.s.http("POST", "/diff", {"old": "", "new": "", "tabs": 4})
        self.assertEqual((status, body["detail"][0]["loc"]), (422, ["body", "tabs"]))
        status, _, body = self.s.http("POST", "/diff", {"old": "", "new": "", "context": 99})
        self.assertEqual((status, body["detail"][0]["loc"]), (422, ["body", "context"]))
        status, _, body = self.s.http("GET", "/diff")
        self.assertEqual(status, 405)

    def test_custom_review_without_ground_truth_is_not_scored(self):
        code = "def div(a, b):\n    return a / b\n"
        status, _, body = self.s.http("POST", "/config/custom", {"code": code,
                                                                 "title": "My divide"})
        self.assertEqual(status, 200, body)
        tid = body["task_id"]
        self.assertTrue(tid.startswith("custom-"))
        self.assertFalse(body["graded"])
        again = self.s.http("POST", "/config/custom", {"code": code, "title": "My divide"})[2]
        self.assertEqual(again["task_id"], tid)
        listed = [t for t in self.s.http("GET", "/tasks")[2]["tasks"] if t["id"] == tid]
        self.assertEqual(listed[0]["kind"], "custom-review")
        c = GenericClient(self.s)
        r = c.reset(task_id=tid)
        self.assertEqual(r.observation["kind"], "custom-review")
        self.assertEqual(r.observation["code_to_review"], code)
        self.assertIn("+def div(a, b):", r.observation["diff"])
        r = c.step({"decision": "request_changes", "comment": "b may be zero",
                    "findings": [{"line_number": 2, "description": "division by zero when b is 0"}]})
        self.assertTrue(r.done)
        self.assertIsNone(r.reward)
        self.assertIsNone(r.observation["episode_score"])
        self.assertIn("no ground truth", r.observation["feedback"])
        c.close()

    def test_custom_review_with_expected_issues_is_graded(self):
        diff = ("--- a/calc.py\n+++ b/calc.py\n@@ -1,2 +1,3 @@\n def div(a, b):\n"
                "-    return a // b\n+    total = a / b\n+    return total\n")
        issue = {"id": "zero-division", "lines": [2, 2], "type": "bug", "severity": "medium",
                 "class": "division_by_zero",
                 "concepts": [["division by zero", "divide by zero", "zerodivisionerror"]],
                 "fix_concepts": [["check", "guard"]],
                 "explanation": "Division by zero when b is 0.", "fix": "Guard: check b first."}
        status, _, body = self.s.http("POST", "/config/custom",
                                      {"diff": diff, "expected_issues": [issue]})
        self.assertEqual(status, 200, body)
        self.assertTrue(body["graded"])
        c = GenericClient(self.s)
        r = c.reset(family="pr_review", task_id=body["task_id"])
        self.assertEqual(r.observation["code_to_review"],
                         "def div(a, b):\n    total = a / b\n    return total\n")
        self.assertEqual(r.observation["file"], "calc.py")
        r = c.step({"decision": "request_changes", "comment": "see findings",
                    "findings": [{"line_number": 2, "issue_type": "bug",
                                  "description": "ZeroDivisionError: division by zero when b is 0",
                                  "suggested_fix": "guard against b == 0"}]})
        self.assertTrue(r.done)
        self.assertEqual(r.reward, 1.0)
        self.assertEqual(r.observation["episode_score"], 1.0)
        c.close()

    def test_custom_errors_name_the_field(self):
        cases = [
            ({}, ["body", "code"]),
            ({"code": "x = 1\n", "diff": "--- a\n"}, ["body", "diff"]),
            ({"code": 5}, ["body", "code"]),
            ({"code": "x = 1\n", "langauge": "python"}, ["body", "langauge"]),
            ({"diff": "this is not a diff"}, ["body", "diff"]),
            ({"code": "x\n" * 401}, ["body", "code"]),
            ({"code": "x = 1\n", "expected_issues": [{"id": "abc", "lines": [1, 9]}]},
             ["body", "expected_issues", 0, "lines"]),
            ({"code": "x = 1\n", "expected_issues": [{"id": "abc", "lines": [1, 1], "type": "bug",
              "severity": "low", "class": "no_such_class"}]},
             ["body", "expected_issues", 0, "class"]),
        ]
        for req, loc in cases:
            status, _, body = self.s.http("POST", "/config/custom", req)
            self.assertEqual(status, 422, (req, body))
            self.assertEqual(body["detail"][0]["loc"], loc, (req, body))
        status, _, body = self.s.http("POST", "/config/custom", raw=b"{not json")
        self.assertEqual(status, 422)


class CustomLimitTest(unittest.TestCase):
    def test_full_store_evicts_unused_tasks_and_refuses_when_all_are_held(self):
        s = Server("--max-custom", "2")
        try:
            ids = [s.http("POST", "/config/custom", {"code": "x = %d\n" % i})[2]["task_id"]
                   for i in range(3)]
            # the oldest, unused, was evicted to make room for the third
            status, _, body = s.http("POST", "/reset", {"task_id": ids[0]})
            self.assertEqual(status, 422)
            self.assertIn("unknown pr_review task", body["detail"][0]["msg"])
            held = [GenericClient(s), GenericClient(s)]
            for c, tid in zip(held, ids[1:]):
                self.assertEqual(c.reset(task_id=tid).observation["task_id"], tid)
            status, _, body = s.http("POST", "/config/custom", {"code": "y = 1\n"})
            self.assertEqual(status, 503)
            self.assertIn("in use", body["detail"])
            held[0].close()  # the session ends: its task can go
            status, _, body = s.http("POST", "/config/custom", {"code": "y = 1\n"})
            self.assertEqual(status, 200, body)
            held[1].close()
        finally:
            s.stop_clean()


if __name__ == "__main__":
    unittest.main()
