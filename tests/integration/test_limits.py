"""Server limits with their own server instances: capacity (CAPACITY_REACHED after
the handshake), idle reaping, a small message limit, environment-variable
configuration, and clean shutdown on SIGTERM with clients connected."""
import os
import time
import unittest

from harness import Server, wait_until

HERE = os.path.dirname(os.path.abspath(__file__))


class CapacityTest(unittest.TestCase):
    def test_capacity_reached_after_handshake_then_slot_freed(self):
        s = Server(env={"MAX_CONCURRENT_ENVS": "2"})
        try:
            a, b = s.ws(), s.ws()
            self.assertEqual(a.request({"type": "reset", "data": {}})["type"], "observation")
            c = s.ws()  # the handshake succeeds ...
            r = c.recv()  # ... and the only frame is the capacity error
            self.assertEqual(r["type"], "error")
            self.assertEqual(r["data"]["code"], "CAPACITY_REACHED")
            self.assertEqual((r["data"]["active_sessions"], r["data"]["max_sessions"]), (2, 2))
            self.assertEqual(c.wait_closed(), 1000)
            c.loop.close()
            # the refusal is counted under the code the client saw
            st, _, stats = s.http("GET", "/api/stats")
            self.assertEqual(stats["errors"]["ws"], {"CAPACITY_REACHED": 1})
            st, _, e = s.http("POST", "/reset", body={"episode_id": "http-over-capacity"})
            self.assertEqual(st, 503)
            self.assertIn("capacity", e["detail"])
            b.close()  # its slot is free once the server has seen the close
            self.assertTrue(wait_until(
                lambda: s.http("GET", "/api/stats")[2]["sessions"]["active"] == 1))
            d = s.ws()
            self.assertEqual(d.request({"type": "reset", "data": {}})["type"], "observation")
            d.close(), a.close()
        finally:
            self.assertEqual(s.stop(), 0)


class IdleTest(unittest.TestCase):
    def test_idle_sessions_are_reaped(self):
        s = Server("--idle-timeout", "1")
        try:
            ws = s.ws()
            ws.request({"type": "reset", "data": {}})
            s.http("POST", "/reset", body={"episode_id": "idle-http"})
            self.assertEqual(s.http("GET", "/state?episode_id=idle-http")[0], 200)
            code = ws.wait_closed(6)
            self.assertEqual(code, 1001)
            ws.loop.close()
            # The HTTP episode was reset a moment after the WebSocket one, so the sweep
            # that closed the socket may come just before it is due; the next sweep
            # (1 s later) reaps it. /state reads without counting as activity.
            deadline = time.monotonic() + 3
            while s.http("GET", "/state?episode_id=idle-http")[0] == 200 and time.monotonic() < deadline:
                time.sleep(0.1)
            self.assertEqual(s.http("GET", "/state?episode_id=idle-http")[0], 404)
            self.assertIn("reaped", s.logs())
            fresh = s.ws()  # the freed slot is usable
            self.assertEqual(fresh.request({"type": "reset", "data": {}})["type"], "observation")
            fresh.close()
        finally:
            s.stop_clean()


class ConfigTest(unittest.TestCase):
    def test_small_message_limit_and_env_configuration(self):
        s = Server(env={"MAX_MESSAGE_BYTES": "2048"})
        try:
            ws = s.ws()
            ws.request({"type": "reset", "data": {}})
            r = ws.request({"type": "step", "data": {"review_summary": "y" * 3000}})
            self.assertEqual(r["data"]["code"], "MESSAGE_TOO_LARGE")
            self.assertIn("2048", r["data"]["message"])
            st, _, _ = s.http("POST", "/step", body={"action": {"review_summary": "y" * 3000}})
            self.assertEqual(st, 413)
            ws.close()
        finally:
            s.stop_clean()

    def test_bad_configuration_is_refused_with_the_option_named(self):
        import subprocess
        from harness import BIN
        p = subprocess.run([BIN, "serve", "--port", "70000"], capture_output=True, text=True, timeout=10)
        self.assertEqual(p.returncode, 2)
        self.assertIn("--port", p.stderr)
        p = subprocess.run([BIN, "serve", "--tasks", "/nonexistent"], capture_output=True, text=True, timeout=10)
        self.assertEqual(p.returncode, 1)
        self.assertIn("task bank", p.stderr)

    def test_malformed_task_stops_startup_naming_file_field_and_reason(self):
        import subprocess
        from harness import BIN
        root = os.path.join(HERE, "..", "fixtures", "bank", "lines-out-of-range")
        p = subprocess.run([BIN, "serve", "--port", "0", "--tasks", root],
                           capture_output=True, text=True, timeout=10)
        self.assertEqual(p.returncode, 1)
        self.assertIn("task.json", p.stderr)            # the file
        self.assertIn("issues[0].lines", p.stderr)      # the field
        self.assertIn("expected 1 <= first <= last", p.stderr)  # the reason


class ShutdownTest(unittest.TestCase):
    def test_sigterm_with_open_sessions_exits_cleanly(self):
        s = Server()
        ws = s.ws()
        ws.request({"type": "reset", "data": {}})
        s.http("POST", "/reset", body={})
        self.assertEqual(s.stop(), 0)
        self.assertIn("shutting down", s.logs())
        ws.wait_closed(5)
        ws.loop.close()


if __name__ == "__main__":
    unittest.main()
