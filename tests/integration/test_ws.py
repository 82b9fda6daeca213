"""WebSocket /ws against the real server: full episodes through a client framed like
OpenEnv's GenericEnvClient, every error code with the session surviving, pings
during work, many concurrent sessions."""
import asyncio
import json
import time
import unittest

import websockets

from harness import OBS_REQUIRED, GenericClient, ServerTest, check_schema, oracle_action


class WsTest(ServerTest):
    def test_generic_client_full_episode(self):
        """reset -> up to 3 attempts on easy -> medium -> hard -> done."""
        schema = self.s.http("GET", "/schema")[2]
        c = GenericClient(self.s)
        r = c.reset(seed=123)
        check_schema(self, r.observation, schema["observation"], "reset.observation")
        self.assertIsNone(r.reward)
        self.assertFalse(r.done)
        for f in OBS_REQUIRED:
            self.assertIn(f, r.observation)
        order, rewards = [], []
        while not r.done:
            obs = r.observation
            order.append((obs["task_index"], obs["difficulty"]))
            # two weak attempts, then the reference review: the best counts
            r = c.step({"findings": []})
            self.assertEqual(r.reward, 0.0)
            rewards.append(r.reward)
            r = c.step({"findings": [{"line_number": 1, "issue_type": "bug",
                                      "description": "the docstring is misleading"}]})
            rewards.append(r.reward)
            self.assertEqual(r.observation["attempt"], 2)
            r = c.step(oracle_action(obs["task_id"]))
            check_schema(self, r.observation, schema["observation"], "step.observation")
            rewards.append(r.reward)
            self.assertGreaterEqual(r.reward, 0.95)
        self.assertEqual(order, [(0, "easy"), (1, "medium"), (2, "hard")])
        for x in rewards:
            self.assertTrue(0.0 <= x <= 1.0)
        final = r.observation
        self.assertEqual(len(final["task_scores"]), 3)
        self.assertGreaterEqual(final["episode_score"], 0.95)
        st = c.state()
        check_schema(self, st, schema["state"], "state")
        self.assertTrue(st["done"])
        self.assertEqual(st["step_count"], 9)
        self.assertEqual(st["task_scores"], final["task_scores"])
        with self.assertRaisesRegex(RuntimeError, "EXECUTION_ERROR"):
            c.step({"findings": []})
        c.close()

    def test_perfect_attempt_advances_at_once(self):
        c = GenericClient(self.s)
        r = c.reset(seed=5)
        first = r.observation["task_id"]
        r = c.step(oracle_action(first))
        self.assertEqual(r.observation["task_index"], 1)
        self.assertEqual(r.observation["attempt"], 0)
        self.assertEqual(r.observation["reward_breakdown"]["task_id"], first)
        c.close()

    def test_same_seed_same_episode(self):
        a, b = GenericClient(self.s), GenericClient(self.s)
        oa, ob = a.reset(seed=77).observation, b.reset(seed=77).observation
        oa.pop("episode_id"), ob.pop("episode_id")
        self.assertEqual(oa, ob)
        ra = a.step({"findings": [{"line_number": 3, "description": "off by one in the loop"}]})
        rb = b.step({"findings": [{"line_number": 3, "description": "off by one in the loop"}]})
        self.assertEqual(ra.reward, rb.reward)
        self.assertEqual(ra.observation["feedback"], rb.observation["feedback"])
        a.close(), b.close()

    def test_every_error_code_and_the_session_survives(self):
        ws = self.s.ws()
        r = ws.request({"type": "step", "data": {"findings": []}})
        self.assertEqual(r["data"]["code"], "EXECUTION_ERROR")
        self.assertIn("reset", r["data"]["message"])
        self.assertEqual(ws.request({"type": "reset", "data": {"seed": 1}})["type"], "observation")
        cases = [
            ("{not json", "INVALID_JSON"),
            (json.dumps({"type": "dance"}), "UNKNOWN_TYPE"),
            (json.dumps({"data": {}}), "UNKNOWN_TYPE"),
            (json.dumps([1, 2]), "UNKNOWN_TYPE"),
            (json.dumps({"type": "step"}), "VALIDATION_ERROR"),
            (json.dumps({"type": "state", "x": 1}), "VALIDATION_ERROR"),
            (json.dumps({"type": "step", "data": {"findings": [{"line": 1, "colour": "red"}]}}), "VALIDATION_ERROR"),
            (json.dumps({"type": "step", "data": {"findings": "many"}}), "VALIDATION_ERROR"),
            (json.dumps({"type": "step", "data": 5}), "VALIDATION_ERROR"),
            (json.dumps({"type": "reset", "data": {"seed": -4}}), "VALIDATION_ERROR"),
            (json.dumps({"type": "reset", "data": {"family": "chess"}}), "VALIDATION_ERROR"),
        ]
        for msg, code in cases:
            r = ws.request(msg)
            self.assertEqual(r["type"], "error", msg)
            self.assertEqual(r["data"]["code"], code, msg)
        r = ws.request({"type": "step", "data": {"findings": [{"line": 1, "colour": "red"}]}})
        self.assertEqual(r["data"]["errors"][0]["loc"], ["findings", 0, "colour"])
        self.assertIn("findings[0].colour", r["data"]["message"])
        st = ws.request({"type": "state"})
        self.assertEqual((st["type"], st["data"]["step_count"]), ("state", 0))
        r = ws.request({"type": "step", "data": {"findings": []}})
        self.assertEqual((r["type"], r["data"]["reward"]), ("observation", 0.0))
        ws.close()

    def test_text_actions(self):
        ws = self.s.ws()
        ws.request({"type": "reset", "data": {"seed": 2}})
        r = ws.request({"type": "step", "data": "I found one issue. {\"findings\": [{\"line\": \"12-14\", \"type\": \"vulnerability\", \"description\": \"x\", \"fix\": \"y\"}]} Thanks!"})
        self.assertEqual(r["type"], "observation")
        w = " | ".join(r["data"]["observation"]["warnings"])
        self.assertIn("prose", w)
        self.assertIn("security_vulnerability", w)
        r = ws.request({"type": "step", "data": {"text": "{'findings': [{'line_number': 3, 'description': 'bad', 'issue_type': None}]}"}})
        self.assertEqual(r["type"], "observation")
        ws.close()

    def test_close_message_has_no_reply(self):
        ws = self.s.ws()
        ws.send({"type": "close"})
        self.assertEqual(ws.wait_closed(), 1000)
        ws.loop.close()

    def test_mcp_over_ws(self):
        ws = self.s.ws()
        r = ws.request({"type": "mcp", "data": {"jsonrpc": "2.0", "method": "tools/list", "id": 1}})
        self.assertEqual(r["type"], "mcp")
        self.assertEqual((r["data"]["id"], r["data"]["error"]["code"]), (1, -32603))
        ws.close()

    def test_pings_answered_while_requests_are_in_flight(self):
        ws = self.s.ws()
        ws.request({"type": "reset", "data": {"seed": 3, "max_attempts": 10}})
        action = json.dumps({"type": "step", "data": {"findings": [
            {"line_number": i % 40 + 1, "issue_type": "bug", "description": "maybe an off by one " * 20}
            for i in range(200)]}})

        async def work():
            for _ in range(9):
                await ws.conn.send(action)
            t = time.perf_counter()
            pong = await ws.conn.ping()
            await asyncio.wait_for(pong, 5)
            dt = time.perf_counter() - t
            replies = [json.loads(await ws.conn.recv()) for _ in range(9)]
            return dt, replies
        dt, replies = ws.run(work(), 30)
        self.assertLess(dt, 1.0, "pong must come back promptly")
        self.assertTrue(all(r["type"] == "observation" for r in replies))
        ws.close()

    def test_many_concurrent_sessions_are_isolated(self):
        n = 64

        async def one(i):
            async with websockets.connect("ws://127.0.0.1:%d/ws" % self.s.port) as c:
                await c.send(json.dumps({"type": "reset", "data": {"seed": i}}))
                r = json.loads(await c.recv())
                for _ in range(i % 3):
                    await c.send(json.dumps({"type": "step", "data": {"findings": []}}))
                    json.loads(await c.recv())
                await c.send(json.dumps({"type": "state"}))
                st = json.loads(await c.recv())["data"]
                return r["data"]["observation"]["episode_id"], st["step_count"], i % 3

        async def all_():
            return await asyncio.gather(*(one(i) for i in range(n)))
        loop = asyncio.new_event_loop()
        res = loop.run_until_complete(all_())
        loop.close()
        self.assertEqual(len({r[0] for r in res}), n, "episode ids must be unique")
        for _eid, steps, want in res:
            self.assertEqual(steps, want)

    def test_message_too_large_is_an_error_not_a_disconnect(self):
        ws = self.s.ws()
        ws.request({"type": "reset", "data": {"seed": 1}})
        r = ws.request(json.dumps({"type": "step", "data": {"review_summary": "x" * (1024 * 1024 + 5)}}))
        self.assertEqual(r["data"]["code"], "MESSAGE_TOO_LARGE")
        r = ws.request({"type": "step", "data": {"findings": []}})
        self.assertEqual(r["type"], "observation")
        ws.close()


if __name__ == "__main__":
    unittest.main()
