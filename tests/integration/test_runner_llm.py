"""`reviewgym run --policy llm` end to end: the real server, the real runner binary,
and a fake OpenAI-compatible endpoint (fake_llm.py) scripted per test. Checks the
[START]/[STEP]/[END] grammar strictly, what the runner sends the model (key, model,
prompt, conversation, the server's rejection), how the model's raw text is scored
(fenced JSON, prose around JSON, no JSON), the client's retries (429 with
Retry-After, 5xx, timeouts, final errors), the token budget, and the report's llm
section - and that the API key never shows anywhere but the Authorization header.
"""
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
import unittest

from fake_llm import FakeLLM
from harness import BIN, ServerTest, load_task, oracle_action

KEY = "sk-test-secret"
MODEL = "test-model"
CR_TASK = "cr-easy-order-stats"
PR_TASK = "pr-easy-clean-slugify"

START_RE = re.compile(r"^\[START\] task=(\S+) env=(\S+) model=(\S+)$")
STEP_RE = re.compile(r"^\[STEP\] step=(\d+) action=(.*) reward=(\d+\.\d\d) "
                     r"done=(true|false) error=(.*)$")
END_RE = re.compile(r"^\[END\] success=(true|false) steps=(\d+) score=(\d+\.\d\d\d) "
                    r"rewards=((\d+\.\d\d)(,\d+\.\d\d)*)?$")


def full_answer():
    """Every real issue of CR_TASK, from the ground truth: scores 1.0 in one step."""
    return json.dumps(oracle_action(CR_TASK))


def one_issue_answer(indent=None):
    """Only the first real issue (line 15, tax_rate): a partial review (> 0, < 1)."""
    issue = load_task(CR_TASK)["issues"][0]
    return json.dumps({"findings": [{"line_number": issue["lines"][0],
                                     "issue_type": issue["type"],
                                     "description": issue["explanation"],
                                     "suggested_fix": issue["fix"]}],
                       "review_summary": "One NameError found."}, indent=indent)


def one_line_label(text):
    """What policy.c's one_line() makes of an ASCII model reply (200 bytes + ...)."""
    cut = text[:200]
    for ch in "\n\r\t":
        cut = cut.replace(ch, " ")
    return cut + ("..." if len(text) > 200 else "")


def parse_blocks(tc, stdout):
    """stdout -> [{task, env, model, steps: [...], end: {...}}], every line matched
    strictly and every block checked for consistency."""
    if stdout:
        tc.assertTrue(stdout.endswith("\n"), "stdout does not end with a newline")
    blocks, cur = [], None
    for line in stdout.split("\n")[:-1]:
        m = START_RE.match(line)
        if m:
            tc.assertIsNone(cur, "[START] inside an open block: %r" % line)
            cur = {"task": m.group(1), "env": m.group(2), "model": m.group(3), "steps": []}
            continue
        m = STEP_RE.match(line)
        if m:
            tc.assertIsNotNone(cur, "[STEP] outside a block: %r" % line)
            cur["steps"].append({"n": int(m.group(1)), "action": m.group(2),
                                 "reward_s": m.group(3), "reward": float(m.group(3)),
                                 "done": m.group(4) == "true", "error": m.group(5)})
            continue
        m = END_RE.match(line)
        tc.assertIsNotNone(m, "stdout line matches no grammar: %r" % line)
        tc.assertIsNotNone(cur, "[END] outside a block: %r" % line)
        rewards = m.group(4).split(",") if m.group(4) else []
        cur["end"] = {"success": m.group(1) == "true", "steps": int(m.group(2)),
                      "score_s": m.group(3), "score": float(m.group(3)), "rewards": rewards}
        tc.assertEqual([s["n"] for s in cur["steps"]], list(range(1, len(cur["steps"]) + 1)))
        tc.assertEqual(cur["end"]["steps"], len(cur["steps"]))
        tc.assertEqual(rewards, [s["reward_s"] for s in cur["steps"]])
        blocks.append(cur)
        cur = None
    tc.assertIsNone(cur, "a block without [END]")
    return blocks


class Run:
    def __init__(self, proc, blocks, report, seconds):
        self.rc, self.out, self.err = proc.returncode, proc.stdout, proc.stderr
        self.blocks, self.report, self.seconds = blocks, report, seconds
        self.report_text = ""


class RunnerLLMTest(ServerTest):
    def setUp(self):
        self.fake = FakeLLM().start()
        self.tmp = tempfile.mkdtemp(prefix="rg-llm-")

    def tearDown(self):
        self.fake.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def run_llm(self, *args, script, env=None, timeout=30):
        """Run the runner against the server and the scripted fake; parse stdout,
        read the report, and check the key is nowhere in what the runner wrote."""
        self.fake.set_script(script)
        report = os.path.join(self.tmp, "report-%d.json" % len(os.listdir(self.tmp)))
        e = {k: v for k, v in os.environ.items()
             if k not in ("API_BASE_URL", "MODEL_NAME", "HF_TOKEN", "API_KEY")}
        e.update({"API_BASE_URL": self.fake.base_url, "MODEL_NAME": MODEL, "HF_TOKEN": KEY})
        for k, v in (env or {}).items():
            if v is None:
                e.pop(k, None)
            else:
                e[k] = v
        cmd = [BIN, "run", "--url", self.s.url, "--policy", "llm", *args, "--quiet",
               "--report", report]
        t0 = time.monotonic()
        p = subprocess.run(cmd, env=e, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           universal_newlines=True, timeout=timeout)
        secs = time.monotonic() - t0
        blocks = parse_blocks(self, p.stdout)
        with open(report) as f:
            text = f.read()
        r = Run(p, blocks, json.loads(text), secs)
        r.report_text = text
        for name, s in (("stdout", r.out), ("stderr", r.err), ("report", text)):
            self.assertNotIn(KEY, s, "the API key leaked into " + name)
        return r

    def one_block(self, r, task=CR_TASK):
        self.assertEqual(len(r.blocks), 1, r.out + r.err)
        b = r.blocks[0]
        self.assertEqual((b["task"], b["env"], b["model"]), (task, "reviewgym", MODEL))
        return b

    def bodies(self):
        return [q["body"] for q in self.fake.completions()]

    # ------------------------------------------------------------------ (a)

    def test_a_fenced_json_answer_scores_and_logs_one_line(self):
        text = ("Here is my review.\n\n```json\n" + one_issue_answer(indent=2) + "\n```\n")
        self.assertGreater(len(text), 200)
        r = self.run_llm("--task", CR_TASK, script=[("content", text)])
        self.assertEqual(r.rc, 0, r.err)
        b = self.one_block(r)
        first = b["steps"][0]
        self.assertGreater(first["reward"], 0.0, first)
        self.assertLess(first["reward"], 1.0, "one issue out of four is a partial review")
        self.assertEqual(first["error"], "null")
        self.assertEqual(first["action"], one_line_label(text))  # flattened, cut at 200
        self.assertFalse(first["done"])
        self.assertTrue(b["steps"][-1]["done"])
        self.assertEqual(len(b["steps"]), 3)  # the task's 3 attempts, same answer each time
        self.assertGreater(b["end"]["score"], 0.0)
        self.assertAlmostEqual(b["end"]["score"], max(s["reward"] for s in b["steps"]),
                               delta=0.006)
        self.assertFalse(b["end"]["success"])  # best < 0.5 (the default threshold)
        # what the runner sent
        reqs = self.fake.completions()
        self.assertEqual(len(reqs), 3)
        for q in reqs:
            self.assertEqual(q["path"], "/v1/chat/completions")
            self.assertEqual(q["headers"].get("authorization"), "Bearer " + KEY)
            self.assertTrue(q["headers"].get("content-type", "").startswith("application/json"))
            self.assertEqual(q["body"]["model"], MODEL)
            self.assertAlmostEqual(q["body"]["temperature"], 0.2)
            self.assertEqual(q["body"]["max_tokens"], 2048)
            self.assertNotIn(KEY.encode(), q["raw"])
        m1 = reqs[0]["body"]["messages"]
        self.assertEqual([m["role"] for m in m1], ["system", "user"])
        for word in ("JSON", "findings", "line_number", "issue_type", "security_vulnerability",
                     "suggested_fix"):
            self.assertIn(word, m1[0]["content"])
        self.assertIn("Order statistics helpers", m1[1]["content"])
        self.assertIn("Attempt 1 of 3.", m1[1]["content"])
        self.assertIn("  15 |     return round(subtotal * (1 + tax_rate), 2)\n", m1[1]["content"])
        self.assertNotIn("rejected", m1[1]["content"])
        # the second request carries the conversation: the previous reply verbatim
        m2 = reqs[1]["body"]["messages"]
        self.assertEqual([m["role"] for m in m2], ["system", "user", "assistant", "user"])
        self.assertEqual(m2[:2], m1)
        self.assertEqual(m2[2]["content"], text)
        self.assertIn("Attempt 2 of 3.", m2[3]["content"])
        self.assertIn("Feedback on your last attempt:", m2[3]["content"])
        self.assertEqual(len(reqs[2]["body"]["messages"]), 6)

    # ------------------------------------------------------------------ (b)

    def test_b_prose_around_json_is_repaired(self):
        """The model reads the line numbers off the numbered code in the prompt and
        wraps its JSON in chatter; the server still scores it."""
        task = load_task(CR_TASK)
        markers = {"undefined-tax-rate": "(1 + tax_rate)",
                   "loop-skips-last-order": "range(1, len(orders) - 1)",
                   "grouping-missing-return": "grouped.setdefault(",
                   "average-empty-division": "sum(counts) / len(counts)"}
        seen = {}

        def answer(body):
            prompt = body["messages"][-1]["content"]
            findings = []
            for issue in task["issues"]:
                m = re.search(r"^ *(\d+) \| .*" + re.escape(markers[issue["id"]]), prompt, re.M)
                line = int(m.group(1)) if m else 1
                seen[issue["id"]] = line
                findings.append({"line_number": line, "issue_type": issue["type"],
                                 "description": issue["explanation"],
                                 "suggested_fix": issue["fix"]})
            return ("Sure! I went through the module carefully. Here is what I found:\n"
                    + json.dumps({"findings": findings, "review_summary": "Four bugs."})
                    + "\nLet me know if you want me to look at anything else.")

        r = self.run_llm("--task", CR_TASK, script=[("content", answer)])
        self.assertEqual(r.rc, 0, r.err)
        self.assertEqual(seen, {i["id"]: i["lines"][0] for i in task["issues"]},
                         "the prompt's line numbers are not the task's")
        b = self.one_block(r)
        self.assertEqual(len(b["steps"]), 1)
        s = b["steps"][0]
        self.assertGreater(s["reward"], 0.0)
        self.assertEqual(s["error"], "null")
        self.assertTrue(s["action"].startswith("Sure! I went through the module carefully."))
        self.assertTrue(s["done"])
        self.assertTrue(b["end"]["success"])
        self.assertGreaterEqual(b["end"]["score"], 0.9)

    # ------------------------------------------------------------------ (c)

    def test_c_no_json_is_rejected_and_the_model_is_told(self):
        bad = "I read the code and it looks fine to me. Ship it!"
        good = full_answer()
        r = self.run_llm("--task", CR_TASK, script=[("content", bad), ("content", good)])
        self.assertEqual(r.rc, 0, r.err)
        b = self.one_block(r)
        self.assertEqual(len(b["steps"]), 2, r.out)
        s1, s2 = b["steps"]
        self.assertEqual(s1["action"], bad)
        self.assertRegex(s1["error"], r"^VALIDATION_ERROR\b")
        self.assertEqual(s1["reward_s"], "0.00")
        self.assertFalse(s1["done"])
        self.assertEqual(s2["error"], "null")
        self.assertGreater(s2["reward"], 0.0)
        self.assertTrue(s2["done"])
        self.assertTrue(b["end"]["success"])
        self.assertEqual(b["end"]["rewards"][0], "0.00")
        reqs = self.fake.completions()
        self.assertEqual(len(reqs), 2)
        m2 = reqs[1]["body"]["messages"]
        self.assertEqual([m["role"] for m in m2], ["system", "user", "assistant", "user"])
        self.assertEqual(m2[2]["content"], bad)
        told = m2[3]["content"]
        self.assertTrue(told.startswith("The server rejected your last answer: "), told[:200])
        self.assertIn(s1["error"], told)  # the server's rejection text, as logged
        self.assertIn("Answer again with one valid JSON object.", told)
        self.assertIn("Attempt 1 of 3.", told)  # a rejected answer uses no attempt
        self.assertNotIn("rejected", reqs[0]["body"]["messages"][1]["content"])
        self.assertEqual(r.report["tasks"][0]["rewards"][0], 0)
        self.assertIsNone(r.report["tasks"][0]["error"])

    # ------------------------------------------------------------------ (d)

    def test_d_429_with_retry_after_then_success(self):
        r = self.run_llm("--task", CR_TASK,
                         script=[("status", 429, 1), ("content", full_answer())])
        self.assertEqual(r.rc, 0, r.err)
        b = self.one_block(r)
        self.assertEqual(len(b["steps"]), 1)
        self.assertTrue(b["end"]["success"])
        self.assertEqual(b["steps"][0]["error"], "null")
        reqs = self.fake.completions()
        self.assertEqual([q["status"] for q in reqs], [429, 200])  # 2 requests for one turn
        self.assertEqual(reqs[0]["body"], reqs[1]["body"])  # the same request, resent
        gap = reqs[1]["time"] - reqs[0]["time"]
        self.assertGreaterEqual(gap, 0.9, "Retry-After: 1 not honoured (default backoff 0.5 s)")
        self.assertLess(gap, 5)
        llm = r.report["llm"]
        self.assertEqual((llm["calls"], llm["retries"], llm["failures"]), (2, 1, 0))

    # ------------------------------------------------------------------ (e)

    def test_e_timeout_without_retries_ends_the_block(self):
        r = self.run_llm("--task", CR_TASK, "--llm-timeout", "1", "--llm-retries", "0",
                         script=[("sleep", 3, full_answer())])
        self.assertNotEqual(r.rc, 0)
        self.assertEqual(r.rc, 1, r.err)
        b = self.one_block(r)
        self.assertEqual(b["steps"], [])
        self.assertEqual(b["end"], {"success": False, "steps": 0, "score_s": "0.000",
                                    "score": 0.0, "rewards": []})
        self.assertTrue(r.out.endswith("[END] success=false steps=0 score=0.000 rewards=\n"))
        self.assertEqual(len(self.fake.completions()), 1)
        self.assertLess(r.seconds, 2.9, "the runner waited for the slow reply")
        self.assertIn("timeout", r.err.lower())
        self.assertIn(CR_TASK, r.err)
        t = r.report["tasks"][0]
        self.assertFalse(t["success"])
        self.assertTrue(t["error"].startswith("policy: "), t["error"])
        self.assertIn("/v1/chat/completions after 1 attempt", t["error"])
        self.assertEqual(r.report["summary"]["failed_blocks"], 1)
        llm = r.report["llm"]
        self.assertEqual((llm["calls"], llm["retries"], llm["failures"]), (1, 0, 1))
        self.assertEqual(llm["total_tokens"], 0)

    # ------------------------------------------------------------------ (f)

    def test_f_pr_review_approve_clean_pr(self):
        answer = json.dumps({"decision": "approve",
                             "comment": "Correct and complete: accents are stripped, runs of "
                                        "punctuation collapse to one dash, empty titles get "
                                        "untitled."})
        r = self.run_llm("--family", "pr_review", "--task", PR_TASK,
                         script=[("content", answer)])
        self.assertEqual(r.rc, 0, r.err)
        b = self.one_block(r, PR_TASK)
        self.assertEqual(len(b["steps"]), 1)
        s = b["steps"][0]
        self.assertEqual(s["action"], answer)
        self.assertEqual(s["error"], "null")
        self.assertTrue(s["done"])
        self.assertGreater(s["reward"], 0.5)
        self.assertTrue(b["end"]["success"])
        self.assertGreater(b["end"]["score"], 0.5)
        t = r.report["tasks"][0]
        self.assertEqual((t["family"], t["task_id"], t["success"]), ("pr_review", PR_TASK, True))
        msgs = self.bodies()[0]["messages"]
        self.assertEqual([m["role"] for m in msgs], ["system", "user"])
        for word in ("decision", "approve", "request_changes", "escalate", "comment"):
            self.assertIn(word, msgs[0]["content"])
        self.assertNotIn("findings", msgs[0]["content"])
        self.assertIn("Pull request: Add slugify() for blog post URLs", msgs[1]["content"])
        self.assertIn("Turn 1 of 1.", msgs[1]["content"])
        self.assertIn("Diff (revision 1):", msgs[1]["content"])

    # ------------------------------------------------------------------ (g)

    def test_g_key_never_leaks_and_report_counts_calls_retries_tokens(self):
        u1 = {"prompt_tokens": 1234, "completion_tokens": 56}
        u2 = {"prompt_tokens": 2345, "completion_tokens": 78}
        r = self.run_llm("--task", CR_TASK,
                         script=[("status", 503, None), ("content", one_issue_answer(), u1),
                                 ("content", full_answer(), u2)])
        self.assertEqual(r.rc, 0, r.err)
        b = self.one_block(r)
        self.assertEqual(len(b["steps"]), 2)
        self.assertTrue(b["end"]["success"])
        reqs = self.fake.completions()
        self.assertEqual([q["status"] for q in reqs], [503, 200, 200])
        for q in reqs:
            self.assertEqual(q["headers"].get("authorization"), "Bearer " + KEY)
            self.assertNotIn(KEY.encode(), q["raw"])
        self.assertEqual(self.fake.usage_returned(), (1234 + 2345, 56 + 78))
        llm = r.report["llm"]
        self.assertEqual(llm, {"model": MODEL, "calls": 3, "retries": 1, "failures": 0,
                               "prompt_tokens": 3579, "completion_tokens": 134,
                               "total_tokens": 3713, "token_budget": 0})
        self.assertEqual(r.report["model"], MODEL)
        self.assertEqual(r.report["policy"], "llm")
        # a failing endpoint: the errors are printed, the key still is not
        r = self.run_llm("--task", CR_TASK, script=[("status", 401, None)])
        self.assertEqual(r.rc, 1)
        self.assertIn("HTTP 401", r.err)
        self.assertIn("fake endpoint: HTTP 401 (scripted)", r.err)  # the endpoint's message
        self.assertIn("HTTP 401", r.report["tasks"][0]["error"])
        self.assertEqual(len(self.fake.completions()), 4)  # a 401 is final: no retry
        self.assertNotIn(KEY, r.out + r.err + r.report_text)

    # ------------------------------------------------------------------ (h)

    def test_h_token_budget_stops_before_the_second_call(self):
        usage = {"prompt_tokens": 400, "completion_tokens": 40}
        r = self.run_llm("--task", CR_TASK, "--token-budget", "50",
                         script=[("content", one_issue_answer(), usage)])
        self.assertEqual(len(self.fake.completions()), 1, "a call was made past the budget")
        b = self.one_block(r)
        self.assertEqual(len(b["steps"]), 1)
        self.assertGreater(b["steps"][0]["reward"], 0)
        self.assertFalse(b["steps"][0]["done"])
        self.assertFalse(b["end"]["success"])
        self.assertEqual(b["end"]["steps"], 1)
        self.assertIn("token budget (50) is spent", r.err)
        self.assertIn("token budget", r.report["tasks"][0]["error"])
        self.assertEqual(r.rc, 1)
        llm = r.report["llm"]
        self.assertEqual((llm["calls"], llm["total_tokens"], llm["token_budget"]), (1, 440, 50))

    # ------------------------------------------------------------------ (i)

    def test_i_two_500s_then_success_with_two_retries(self):
        r = self.run_llm("--task", CR_TASK, "--llm-retries", "2",
                         script=[("status", 500, None), ("status", 500, None),
                                 ("content", full_answer())])
        self.assertEqual(r.rc, 0, r.err)
        b = self.one_block(r)
        self.assertTrue(b["end"]["success"])
        self.assertEqual(len(b["steps"]), 1)
        reqs = self.fake.completions()
        self.assertEqual([q["status"] for q in reqs], [500, 500, 200])
        g1, g2 = reqs[1]["time"] - reqs[0]["time"], reqs[2]["time"] - reqs[1]["time"]
        self.assertGreaterEqual(g1, 0.4)   # backoff 0.5 s, then doubling
        self.assertGreaterEqual(g2, 0.9)
        llm = r.report["llm"]
        self.assertEqual((llm["calls"], llm["retries"], llm["failures"]), (3, 2, 0))

    # ------------------------------------------------------------------ more

    def test_5xx_exhausting_the_retries_fails_with_the_endpoint_message(self):
        r = self.run_llm("--task", CR_TASK, "--llm-retries", "1",
                         script=[("status", 500, None)])
        self.assertEqual(r.rc, 1)
        b = self.one_block(r)
        self.assertEqual((b["steps"], b["end"]["success"], b["end"]["rewards"]), ([], False, []))
        self.assertEqual(len(self.fake.completions()), 2)
        self.assertIn("HTTP 500: fake endpoint: HTTP 500 (scripted)", r.err)
        self.assertIn("after 2 attempts", r.err)
        llm = r.report["llm"]
        self.assertEqual((llm["calls"], llm["retries"], llm["failures"]), (2, 1, 1))

    def test_non_json_reply_is_final_and_reported(self):
        r = self.run_llm("--task", CR_TASK, script=[("garbage",)])
        self.assertEqual(r.rc, 1)
        b = self.one_block(r)
        self.assertEqual(b["steps"], [])
        self.assertFalse(b["end"]["success"])
        self.assertEqual(len(self.fake.completions()), 1)  # not retried
        self.assertIn("not JSON", r.report["tasks"][0]["error"])

    def test_base_url_path_and_key_sources(self):
        approve = json.dumps({"decision": "approve", "comment": "Correct and complete."})
        # a trailing slash on API_BASE_URL; API_KEY when HF_TOKEN is unset
        r = self.run_llm("--family", "pr_review", "--task", PR_TASK,
                         script=[("content", approve)],
                         env={"API_BASE_URL": self.fake.base_url + "/", "HF_TOKEN": None,
                              "API_KEY": "sk-other-key"})
        self.assertEqual(r.rc, 0, r.err)
        self.assertTrue(self.one_block(r, PR_TASK)["end"]["success"])
        q = self.fake.completions()
        self.assertEqual(len(q), 1, [x["path"] for x in self.fake.requests])
        self.assertEqual(q[0]["headers"].get("authorization"), "Bearer sk-other-key")
        self.assertNotIn("sk-other-key", r.out + r.err + r.report_text)
        # HF_TOKEN wins over API_KEY
        r = self.run_llm("--family", "pr_review", "--task", PR_TASK,
                         script=[("content", approve)], env={"API_KEY": "sk-other-key"})
        self.assertEqual(self.fake.completions()[1]["headers"].get("authorization"),
                         "Bearer " + KEY)
        # no key at all: no Authorization header (local endpoints)
        r = self.run_llm("--family", "pr_review", "--task", PR_TASK,
                         script=[("content", approve)], env={"HF_TOKEN": None, "API_KEY": None})
        self.assertEqual(r.rc, 0, r.err)
        self.assertNotIn("authorization", self.fake.completions()[2]["headers"])

    def test_each_episode_starts_a_fresh_conversation(self):
        approve = json.dumps({"decision": "approve", "comment": "Correct and complete."})
        r = self.run_llm("--family", "pr_review", "--task", PR_TASK, "--episodes", "2",
                         script=[("content", approve)])
        self.assertEqual(r.rc, 0, r.err)
        self.assertEqual([b["task"] for b in r.blocks], [PR_TASK, PR_TASK])
        self.assertEqual([[m["role"] for m in body["messages"]] for body in self.bodies()],
                         [["system", "user"], ["system", "user"]])
        self.assertEqual(r.report["summary"]["overall"]["n"], 2)

    def test_long_conversation_window_is_bounded(self):
        """Rejected answers use no attempt, so a model that never answers in JSON
        runs into --max-steps; the prompt keeps the system message and the latest
        messages (MAX_TURN_MESSAGES = 12)."""
        r = self.run_llm("--task", CR_TASK, "--max-steps", "9",
                         script=[("content", "no idea, sorry")])
        self.assertEqual(r.rc, 1)
        b = self.one_block(r)
        self.assertEqual(len(b["steps"]), 9)
        self.assertTrue(all(s["error"].startswith("VALIDATION_ERROR") for s in b["steps"]))
        self.assertIn("max steps reached", r.report["tasks"][0]["error"])
        bodies = self.bodies()
        self.assertEqual(len(bodies), 9)
        system = bodies[0]["messages"][0]
        for k, body in enumerate(bodies, 1):
            msgs = body["messages"]
            if k <= 6:  # nothing cut yet: system + every message so far
                self.assertEqual(len(msgs), 2 * k, "request %d" % k)
            else:       # system + the latest 11 or 12 (bounded, not growing)
                self.assertIn(len(msgs), (12, 13), "request %d" % k)
                self.assertEqual(msgs[-2], {"role": "assistant", "content": "no idea, sorry"})
            self.assertEqual(msgs[0], system)
            self.assertEqual(msgs[-1]["role"], "user")
            self.assertTrue(msgs[-1]["content"].startswith("The server rejected") or k == 1)

    def test_window_keeps_roles_alternating_from_a_user_message(self):
        """The history after the system message is user, assistant, ..., user, so
        the bounded window (src/agent/policy.c window()) must keep an odd number of
        messages: once it cuts, the message after the system one must still be a
        user message, as chat templates that require alternation (Mistral, Gemma,
        ...) demand. (Found by this test: the window used to keep 12.)"""
        self.run_llm("--task", CR_TASK, "--max-steps", "7",
                     script=[("content", "no idea, sorry")])
        for k, body in enumerate(self.bodies(), 1):
            roles = [m["role"] for m in body["messages"]][1:]
            self.assertEqual(roles, ["user", "assistant"] * (len(roles) // 2) + ["user"],
                             "request %d" % k)


if __name__ == "__main__":
    unittest.main()
