"""`reviewgym run` against the real server on loopback: the oracle scores >= 0.95
on every task of both families, the empty policy scores 0 on code_review, every
stdout line follows the exact [START]/[STEP]/[END] grammar with blocks that never
interleave under concurrency, the JSON report adds up, and [END] is printed when
the server goes away mid-episode or cannot be reached at all."""
import asyncio
import json
import os
import re
import subprocess
import tempfile
import threading
import unittest

import websockets

from harness import BIN, ServerTest

START = re.compile(r"^\[START\] task=(\S+) env=(\S+) model=(\S+)$")
STEP = re.compile(r"^\[STEP\] step=(\d+) action=(.*) reward=(\d+\.\d\d) done=(true|false) "
                  r"error=(.*)$")
END = re.compile(r"^\[END\] success=(true|false) steps=(\d+) score=(\d+\.\d\d\d) "
                 r"rewards=((\d+\.\d\d)(,\d+\.\d\d)*)?$")


def parse_blocks(tc, stdout):
    """Check the grammar line by line; return [{task, steps: [...], end: {...}}]."""
    blocks, cur = [], None
    for line in stdout.splitlines():
        m = START.match(line)
        if m:
            tc.assertIsNone(cur, "[START] inside an open block: %r" % line)
            cur = {"task": m.group(1), "env": m.group(2), "model": m.group(3), "steps": []}
            continue
        m = STEP.match(line)
        if m:
            tc.assertIsNotNone(cur, "[STEP] outside a block: %r" % line)
            tc.assertEqual(int(m.group(1)), len(cur["steps"]) + 1, line)
            cur["steps"].append({"reward": float(m.group(3)), "done": m.group(4) == "true",
                                 "error": m.group(5)})
            continue
        m = END.match(line)
        tc.assertIsNotNone(m, "a line outside the grammar: %r" % line)
        tc.assertIsNotNone(cur, "[END] without [START]")
        rewards = [float(x) for x in m.group(4).split(",")] if m.group(4) else []
        tc.assertEqual(int(m.group(2)), len(cur["steps"]), line)
        tc.assertEqual(rewards, [s["reward"] for s in cur["steps"]], line)
        cur["end"] = {"success": m.group(1) == "true", "score": float(m.group(3))}
        blocks.append(cur)
        cur = None
    tc.assertIsNone(cur, "a block without [END]")
    return blocks


class RunnerTest(ServerTest):
    def run_cli(self, *args, url=None):
        url = url or self.s.url
        p = subprocess.run([BIN, "run", "--url", url, "--quiet", *args], capture_output=True,
                           text=True, timeout=300)
        return p.returncode, p.stdout, p.stderr

    def test_oracle_scores_at_least_095_on_every_task_of_both_families(self):
        for family, minimum in (("code_review", 20), ("pr_review", 12)):
            with tempfile.NamedTemporaryFile(suffix=".json") as rep:
                rc, out, err = self.run_cli("--policy", "oracle", "--family", family,
                                            "--all-tasks", "--concurrency", "4",
                                            "--report", rep.name)
                self.assertEqual(rc, 0, err)
                blocks = parse_blocks(self, out)
                self.assertGreaterEqual(len(blocks), minimum)
                self.assertEqual(len({b["task"] for b in blocks}), len(blocks))
                for b in blocks:
                    self.assertGreaterEqual(b["end"]["score"], 0.95, b["task"])
                    self.assertTrue(b["end"]["success"], b["task"])
                    self.assertEqual((b["env"], b["model"]), ("reviewgym", "oracle"))
                report = json.load(open(rep.name))
                self.assertEqual(report["summary"]["overall"]["n"], len(blocks))
                self.assertGreaterEqual(report["summary"]["overall"]["mean_score"], 0.95)
                self.assertEqual(set(report["summary"]["by_difficulty"]),
                                 {"easy", "medium", "hard"})
                self.assertEqual(list(report["summary"]["by_family"]), [family])
                self.assertGreater(report["summary"]["latency"]["replies"], len(blocks))
                self.assertEqual([t["task_id"] for t in report["tasks"]],
                                 [b["task"] for b in blocks])

    def test_empty_policy_scores_zero(self):
        rc, out, err = self.run_cli("--policy", "empty", "--episodes", "2", "--seed", "3")
        self.assertEqual(rc, 0, err)
        blocks = parse_blocks(self, out)
        self.assertEqual(len(blocks), 6)  # 2 episodes x easy, medium, hard
        for b in blocks:
            self.assertEqual(b["end"]["score"], 0.0)
            self.assertFalse(b["end"]["success"])
            self.assertEqual(len(b["steps"]), 3)  # three attempts per task
        rc, out, err = self.run_cli("--policy", "empty", "--family", "pr_review",
                                    "--task", "pr-medium-sqli-negotiation")
        b = parse_blocks(self, out)[0]
        self.assertFalse(b["end"]["success"])
        self.assertEqual(len(b["steps"]), 6)  # comments until the turn limit

    def test_same_seed_gives_the_same_log(self):
        a = self.run_cli("--policy", "oracle", "--episodes", "2", "--seed", "11")[1]
        b = self.run_cli("--policy", "oracle", "--episodes", "2", "--seed", "11")[1]
        self.assertEqual(a, b)

    def test_concurrent_blocks_never_interleave(self):
        rc, out, err = self.run_cli("--policy", "empty", "--family", "pr_review",
                                    "--episodes", "12", "--concurrency", "6", "--seed", "1")
        self.assertEqual(rc, 0, err)
        self.assertEqual(len(parse_blocks(self, out)), 12)

    def test_bad_options_name_the_option(self):
        for args, word in ((["--policy", "genius"], "--policy"),
                           (["--family", "chess"], "--family"),
                           (["--episodes", "0"], "--episodes"),
                           (["--difficulty", "impossible"], "--difficulty")):
            rc, out, err = self.run_cli(*args)
            self.assertEqual(rc, 2, args)
            self.assertIn(word, err)
            self.assertEqual(out, "")


class RunnerFailureTest(unittest.TestCase):
    def test_end_is_printed_when_the_server_cannot_be_reached(self):
        p = subprocess.run([BIN, "run", "--url", "http://127.0.0.1:9", "--policy", "empty",
                            "--timeout", "3"], capture_output=True, text=True, timeout=60)
        self.assertEqual(p.returncode, 1)
        blocks = parse_blocks(self, p.stdout)
        self.assertEqual(len(blocks), 1)
        self.assertFalse(blocks[0]["end"]["success"])
        self.assertIn("cannot connect", p.stderr)

    def test_end_is_printed_when_the_server_goes_away_mid_episode(self):
        """A WebSocket server that answers reset with a real-looking observation and
        drops the connection on the first step."""
        obs = {"task_id": "cr-easy-order-stats", "family": "code_review", "difficulty": "easy",
               "task_index": 0, "code_to_review": "x = 1\n", "task_description": "t",
               "attempt": 0, "max_attempts": 3}
        ready = threading.Event()
        port = []

        async def handler(ws, path=None):
            async for msg in ws:
                if json.loads(msg)["type"] == "reset":
                    await ws.send(json.dumps({"type": "observation", "data": {
                        "observation": obs, "reward": None, "done": False}}))
                else:
                    await ws.close(1011, "gone")
                    return

        def serve():
            loop = asyncio.new_event_loop()

            async def main():
                async with websockets.serve(handler, "127.0.0.1", 0) as server:
                    port.append(server.sockets[0].getsockname()[1])
                    ready.set()
                    await asyncio.sleep(30)
            loop.run_until_complete(main())

        threading.Thread(target=serve, daemon=True).start()
        self.assertTrue(ready.wait(10))
        p = subprocess.run([BIN, "run", "--url", "ws://127.0.0.1:%d/ws" % port[0],
                            "--policy", "empty", "--timeout", "5"],
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(p.returncode, 1, p.stderr)
        blocks = parse_blocks(self, p.stdout)
        self.assertEqual(len(blocks), 1)
        self.assertEqual(blocks[0]["task"], "cr-easy-order-stats")
        self.assertFalse(blocks[0]["end"]["success"])
        self.assertIn("closed", p.stderr)


if __name__ == "__main__":
    unittest.main()
