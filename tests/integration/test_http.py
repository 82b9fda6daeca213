"""HTTP routes against the real server: the OpenEnv checklist (§0), error shapes,
HTTP sessions keyed by episode_id, limits, and a full episode over HTTP."""
import json
import unittest

from harness import OBS_REQUIRED, ServerTest, oracle_action


class HttpTest(ServerTest):
    def test_health(self):
        st, h, body = self.s.http("GET", "/health")
        self.assertEqual((st, body), (200, {"status": "healthy"}))
        self.assertIn("application/json", h["content-type"])

    def test_metadata_schema_openapi(self):
        st, _, md = self.s.http("GET", "/metadata")
        self.assertEqual(st, 200)
        self.assertEqual(md["name"], "reviewgym")
        self.assertIsInstance(md["description"], str)
        for k in ("readme_content", "version", "author", "documentation_url"):
            self.assertIn(k, md)
        st, _, sc = self.s.http("GET", "/schema")
        self.assertEqual(st, 200)
        self.assertEqual(set(sc), {"action", "observation", "state"})
        self.assertIn("findings", sc["action"]["properties"])
        self.assertFalse(sc["action"]["additionalProperties"])
        for f in OBS_REQUIRED:
            self.assertIn(f, sc["observation"]["properties"])
        st, _, oa = self.s.http("GET", "/openapi.json")
        self.assertEqual(st, 200)
        self.assertEqual(oa["info"]["version"], "1.0.0")
        for p in ("/reset", "/step", "/state", "/health", "/metadata", "/schema", "/mcp"):
            self.assertIn(p, oa["paths"])

    def test_openenv_validate_runtime_criteria(self):
        """The six criteria of `openenv validate --url` (protocol §8.1), as it checks them."""
        st, _, oa = self.s.http("GET", "/openapi.json")
        self.assertTrue(st == 200 and isinstance(oa["info"], dict) and isinstance(oa["info"]["version"], str))
        st, _, h = self.s.http("GET", "/health")
        self.assertTrue(st == 200 and h.get("status") == "healthy")
        st, _, md = self.s.http("GET", "/metadata")
        self.assertTrue(st == 200 and isinstance(md["name"], str) and isinstance(md["description"], str))
        st, _, sc = self.s.http("GET", "/schema")
        self.assertTrue(st == 200 and all(isinstance(sc[k], dict) for k in ("action", "observation", "state")))
        st, _, mcp = self.s.http("POST", "/mcp", body={})
        self.assertTrue(st == 200 and mcp.get("jsonrpc") == "2.0")
        paths = oa["paths"]
        self.assertTrue(paths and "/reset" in paths and "/step" in paths and "/state" in paths)

    def test_mcp_jsonrpc_errors(self):
        cases = [
            ({}, -32600, None),
            ({"jsonrpc": "2.0", "method": "tools/list", "id": 7}, -32603, 7),
            ({"jsonrpc": "2.0", "method": "tools/call", "id": "a", "params": {}}, -32603, "a"),
            ({"jsonrpc": "2.0", "method": "nope", "id": 3}, -32601, 3),
            ({"jsonrpc": "2.0", "method": "nope"}, -32601, None),
            ({"jsonrpc": "1.0", "method": "tools/list", "id": 1}, -32600, None),
            ({"jsonrpc": "2.0", "method": "tools/list", "id": 1, "x": 1}, -32600, None),
        ]
        for body, code, rid in cases:
            st, _, r = self.s.http("POST", "/mcp", body=body)
            self.assertEqual(st, 200, body)
            self.assertEqual(r["error"]["code"], code, body)
            self.assertEqual(r["id"], rid, body)
            self.assertIn("data", r["error"])
            self.assertNotIn("result", r)
        for raw in (b"not json", b"[1,2]", b"\"s\""):
            st, _, r = self.s.http("POST", "/mcp", raw=raw)
            self.assertEqual((st, r["error"]["code"], r["id"]), (200, -32700, None))
        self.assertEqual(self.s.http("POST", "/mcp", body={"jsonrpc": "2.0", "method": "nope"})[2]["error"]["message"],
                         "Method not found: nope")

    def test_reset_with_empty_and_missing_body(self):
        for kw in ({"body": {}}, {"raw": None}, {"raw": b"", "headers": {"Content-Type": "application/json"}}):
            st, _, r = self.s.http("POST", "/reset", **kw)
            self.assertEqual(st, 200, kw)
            self.assertEqual(set(r), {"observation", "reward", "done"})
            self.assertIsNone(r["reward"])
            self.assertFalse(r["done"])
            for f in OBS_REQUIRED:
                self.assertIn(f, r["observation"])
            self.assertEqual(r["observation"]["difficulty"], "easy")
            self.assertEqual(r["observation"]["attempt"], 0)

    def test_not_found_and_method_not_allowed(self):
        st, _, r = self.s.http("GET", "/nope")
        self.assertEqual((st, r), (404, {"detail": "Not Found"}))
        st, h, r = self.s.http("GET", "/reset")
        self.assertEqual((st, r), (405, {"detail": "Method Not Allowed"}))
        self.assertEqual(h["allow"], "POST")
        st, h, _ = self.s.http("POST", "/health", body={})
        self.assertEqual((st, h["allow"]), (405, "GET"))

    def test_reset_validation_errors_name_the_field(self):
        st, _, r = self.s.http("POST", "/reset", body={"seed": -1})
        self.assertEqual(st, 422)
        self.assertEqual(r["detail"][0]["loc"], ["body", "seed"])
        self.assertEqual(r["detail"][0]["type"], "greater_than_equal")
        st, _, r = self.s.http("POST", "/reset", body={"difficulty": "extreme"})
        self.assertEqual((st, r["detail"][0]["loc"]), (422, ["body", "difficulty"]))
        st, _, r = self.s.http("POST", "/reset", body={"task_id": "no-such-task"})
        self.assertEqual((st, r["detail"][0]["loc"]), (422, ["body", "task_id"]))
        st, _, r = self.s.http("POST", "/reset", raw=b"{bad json")
        self.assertEqual((st, r["detail"][0]["type"]), (422, "json_invalid"))
        st, _, r = self.s.http("POST", "/reset", raw=b"[1]")
        self.assertEqual(st, 422)
        # unknown extras are ignored, as the reference does
        st, _, r = self.s.http("POST", "/reset", body={"seed": 3, "whatever": True})
        self.assertEqual(st, 200)

    def test_step_errors_then_session_survives(self):
        _, _, r = self.s.http("POST", "/reset", body={"seed": 11, "episode_id": "survivor"})
        st, _, e = self.s.http("POST", "/step", body={"episode_id": "survivor"})
        self.assertEqual((st, e["detail"][0]["loc"], e["detail"][0]["type"]), (422, ["body", "action"], "missing"))
        st, _, e = self.s.http("POST", "/step", body={"episode_id": "survivor", "action": 5})
        self.assertEqual((st, e["detail"][0]["loc"]), (422, ["body", "action"]))
        st, _, e = self.s.http("POST", "/step", body={"episode_id": "survivor",
                                                       "action": {"findings": [{"line": 1, "colour": "red"}]}})
        self.assertEqual(st, 422)
        self.assertEqual(e["detail"][0]["loc"], ["findings", 0, "colour"])
        self.assertEqual(e["detail"][0]["type"], "extra_forbidden")
        st, _, e = self.s.http("POST", "/step", body={"episode_id": "survivor", "action": {"verdict_x": 1}})
        self.assertEqual((st, e["detail"][0]["loc"]), (422, ["verdict_x"]))
        _, _, state = self.s.http("GET", "/state?episode_id=survivor")
        self.assertEqual(state["step_count"], 0, "bad actions must not count as steps")
        st, _, ok = self.s.http("POST", "/step", body={"episode_id": "survivor", "action": {"findings": []},
                                                        "timeout_s": 5, "request_id": "r1", "extra": 1})
        self.assertEqual(st, 200)
        self.assertEqual(ok["reward"], 0.0)
        _, _, state = self.s.http("GET", "/state?episode_id=survivor")
        self.assertEqual(state["step_count"], 1)

    def test_http_sessions_are_independent(self):
        a = self.s.http("POST", "/reset", body={"seed": 1, "episode_id": "ep-a"})[2]["observation"]
        b = self.s.http("POST", "/reset", body={"seed": 2, "episode_id": "ep-b"})[2]["observation"]
        self.assertEqual((a["episode_id"], b["episode_id"]), ("ep-a", "ep-b"))
        self.s.http("POST", "/step", body={"episode_id": "ep-a", "action": {"findings": []}})
        sa = self.s.http("GET", "/state?episode_id=ep-a")[2]
        sb = self.s.http("GET", "/state?episode_id=ep-b")[2]
        self.assertEqual((sa["step_count"], sb["step_count"]), (1, 0))
        st, _, r = self.s.http("POST", "/step", body={"episode_id": "ep-missing", "action": {}})
        self.assertEqual(st, 404)
        self.assertIn("ep-missing", r["detail"])
        st, _, r = self.s.http("GET", "/state?episode_id=ep-missing")
        self.assertEqual(st, 404)

    def test_default_session_without_id(self):
        r = self.s.http("POST", "/reset", body={"seed": 5})[2]
        eid = r["observation"]["episode_id"]
        st, _, s1 = self.s.http("POST", "/step", body={"action": {"findings": []}})
        self.assertEqual(st, 200)
        self.assertEqual(s1["observation"]["episode_id"], eid)
        self.assertEqual(self.s.http("GET", "/state")[2]["episode_id"], eid)
        self.assertEqual(self.s.http("GET", "/state?episode_id=" + eid)[2]["step_count"], 1)

    def test_body_limit_gives_413_and_server_lives(self):
        big = b'{"action":{"findings":[],"review_summary":"' + b"x" * (1024 * 1024 + 10) + b'"}}'
        st, _, r = self.s.http("POST", "/step", raw=big, headers={"Content-Type": "application/json"})
        self.assertEqual(st, 413)
        self.assertIn("limit", r["detail"])
        self.assertEqual(self.s.http("GET", "/health")[0], 200)

    def test_text_action_over_http(self):
        self.s.http("POST", "/reset", body={"seed": 9, "episode_id": "text-ep"})
        text = "Here is my review:\n```json\n{'findings': [{'line': 'L2', 'type': 'logic', 'description': 'hmm', },]}\n```"
        st, _, r = self.s.http("POST", "/step", body={"episode_id": "text-ep", "action": {"text": text}})
        self.assertEqual(st, 200)
        w = " | ".join(r["observation"]["warnings"])
        self.assertIn("code fence", w)
        self.assertIn("single-quoted", w)
        self.assertIn("trailing comma", w)
        st, _, r = self.s.http("POST", "/step", body={"episode_id": "text-ep", "action": "no json here"})
        self.assertEqual(st, 422)
        self.assertEqual(r["detail"][0]["loc"], ["action"])

    def test_full_episode_with_reference_reviews_over_http(self):
        r = self.s.http("POST", "/reset", body={"seed": 42, "episode_id": "oracle-http"})[2]
        seen = []
        while not r["done"]:
            obs = r["observation"]
            seen.append(obs["difficulty"])
            st, _, r = self.s.http("POST", "/step", body={"episode_id": "oracle-http",
                                                            "action": oracle_action(obs["task_id"])})
            self.assertEqual(st, 200)
            self.assertGreaterEqual(r["reward"], 0.95)
        self.assertEqual(seen, ["easy", "medium", "hard"])
        self.assertGreaterEqual(r["observation"]["episode_score"], 0.95)
        state = self.s.http("GET", "/state?episode_id=oracle-http")[2]
        self.assertTrue(state["done"])
        self.assertEqual(state["step_count"], 3)
        self.assertEqual(len(state["task_scores"]), 3)
        st, _, e = self.s.http("POST", "/step", body={"episode_id": "oracle-http", "action": {}})
        self.assertEqual(st, 409)
        self.assertIn("reset", e["detail"])

    def test_compact_json_floats(self):
        r = self.s.http("POST", "/reset", body={"seed": 1})
        raw = json.dumps(r[2])
        self.assertNotIn("0.29999999999999999", raw)


if __name__ == "__main__":
    unittest.main()
