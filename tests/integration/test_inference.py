"""inference.py, the hackathon entry point, end to end: it starts its own server
(or uses ENV_URL), runs the llm policy through `reviewgym run` against a fake
OpenAI-compatible endpoint, and its stdout is nothing but well-formed
[START]/[STEP]/[END] blocks; the key is never printed."""
import os
import subprocess
import sys
import unittest

from fake_llm import FakeLLM
from harness import BIN, ServerTest
from test_runner import parse_blocks

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
KEY = "hf_inference_test_secret"


def answer(body):
    """A well-formed answer for the family the system prompt is about."""
    if "pull request" in body["messages"][0]["content"]:
        return '{"decision": "approve", "comment": "Looks correct to me."}'
    return '```json\n{"findings": [], "review_summary": "nothing found"}\n```'


class InferenceTest(ServerTest):
    def run_inference(self, env_url):
        env = dict(os.environ)
        env.update({"API_BASE_URL": self.fake.base_url, "MODEL_NAME": "test-model",
                    "HF_TOKEN": KEY, "REVIEWGYM_FAMILIES": "pr_review,code_review",
                    "REVIEWGYM_EPISODES": "1", "REVIEWGYM_SEED": "4"})
        env.pop("ENV_URL", None)
        if env_url:
            env["ENV_URL"] = env_url
        return subprocess.run([sys.executable, os.path.join(ROOT, "inference.py")], env=env,
                              capture_output=True, text=True, timeout=120, cwd=ROOT)

    def setUp(self):
        self.fake = FakeLLM([("content", answer)]).start()

    def tearDown(self):
        self.fake.stop()

    def check(self, p):
        blocks = parse_blocks(self, p.stdout)
        self.assertEqual(len(blocks), 4, p.stderr)  # one pr_review task + easy, medium, hard
        for b in blocks:
            self.assertEqual((b["env"], b["model"]), ("reviewgym", "test-model"))
            self.assertGreaterEqual(len(b["steps"]), 1)
        self.assertNotIn(KEY, p.stdout + p.stderr)
        self.assertGreater(len(self.fake.completions()), 0)
        for r in self.fake.completions():
            self.assertEqual(r["headers"].get("authorization"), "Bearer " + KEY)

    def test_against_a_running_server(self):
        self.check(self.run_inference(self.s.url))

    @unittest.skipUnless(os.access(os.path.join(ROOT, "build", "reviewgym"), os.X_OK),
                         "inference.py starts build/reviewgym")
    def test_starts_its_own_server_when_env_url_is_unset(self):
        p = self.run_inference(None)
        self.check(p)
        self.assertIn(p.returncode, (0, 1))


if __name__ == "__main__":
    unittest.main()
