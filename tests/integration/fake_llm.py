"""A fake OpenAI-compatible chat-completions endpoint for the runner's llm policy
tests (standard library only).

FakeLLM serves POST <base_path>/chat/completions on 127.0.0.1 (port 0) from a
background thread and answers from a script of canned behaviours, consumed one
per HTTP request in order, the last one repeating once the script is spent:

  ("content", text)                    200 with a chat.completion whose
  ("content", text, usage)             choices[0].message.content is text; text
                                       may be a callable taking the parsed
                                       request body and returning the text;
                                       usage = {"prompt_tokens": P,
                                       "completion_tokens": C} overrides the
                                       default counts (derived from the sizes)
  ("status", code, retry_after)        that HTTP status with an OpenAI-style
                                       {"error": {"message": ...}} body, plus a
                                       Retry-After header unless retry_after is None
  ("sleep", seconds, text)             sleeps (interruptibly: stop() wakes it),
                                       then answers like ("content", text)
  ("garbage",)                         200 with a body that is not JSON

Every request is recorded in .requests (path, headers with lower-cased names,
the parsed JSON body or None, the arrival time, and what was answered: status
and usage), so tests can assert on exactly what the runner sent and on the
token counts it was told.
"""
import http.server
import json
import threading
import time


def default_usage(body, text):
    """Token counts a real endpoint might report: about 4 characters a token."""
    chars = 0
    for m in (body or {}).get("messages", []) or []:
        if isinstance(m, dict) and isinstance(m.get("content"), str):
            chars += len(m["content"])
    return {"prompt_tokens": chars // 4 + 1, "completion_tokens": len(text) // 4 + 1}


class FakeLLM:
    def __init__(self, script=None, base_path="/v1", model_echo=None):
        self.base_path = "/" + base_path.strip("/") if base_path.strip("/") else ""
        self.script = list(script or [("content", "{}")])
        self.model_echo = model_echo
        self.requests = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.served = 0
        fake = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_args):
                pass

            def do_POST(self):
                fake._handle(self)

            def do_GET(self):
                fake._handle(self)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    # -------------------------------------------------------------- lifecycle

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)

    def __enter__(self):
        return self.start()

    def __exit__(self, *_exc):
        self.stop()

    @property
    def base_url(self):
        """What to put in API_BASE_URL."""
        return "http://127.0.0.1:%d%s" % (self.port, self.base_path)

    def set_script(self, script):
        with self.lock:
            self.script = list(script)
            self.served = 0

    # -------------------------------------------------------------- queries

    def completions(self):
        """The recorded requests to the chat-completions path."""
        with self.lock:
            return [r for r in self.requests if r["path"] == self.base_path + "/chat/completions"]

    def usage_returned(self):
        """Sum of the usage reported in 200 replies: (prompt, completion)."""
        p = c = 0
        with self.lock:
            for r in self.requests:
                if r.get("usage"):
                    p += r["usage"]["prompt_tokens"]
                    c += r["usage"]["completion_tokens"]
        return p, c

    # -------------------------------------------------------------- serving

    def _next(self):
        with self.lock:
            i = min(self.served, len(self.script) - 1)
            self.served += 1
            return self.script[i]

    def _send(self, h, status, body, ctype="application/json", headers=None):
        data = body if isinstance(body, bytes) else body.encode()
        try:
            h.send_response(status)
            h.send_header("Content-Type", ctype)
            h.send_header("Content-Length", str(len(data)))
            for k, v in (headers or {}).items():
                h.send_header(k, v)
            h.end_headers()
            h.wfile.write(data)
            h.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, OSError):
            pass  # the client gave up (timeout tests)

    def _completion(self, body, text, usage):
        model = self.model_echo or (body or {}).get("model") or "fake-model"
        return json.dumps({
            "id": "chatcmpl-fake-%d" % self.served,
            "object": "chat.completion",
            "created": int(time.time()),
            "model": model,
            "choices": [{"index": 0,
                         "message": {"role": "assistant", "content": text},
                         "finish_reason": "stop"}],
            "usage": {"prompt_tokens": usage["prompt_tokens"],
                      "completion_tokens": usage["completion_tokens"],
                      "total_tokens": usage["prompt_tokens"] + usage["completion_tokens"]},
        })

    def _handle(self, h):
        n = int(h.headers.get("Content-Length") or 0)
        raw = h.rfile.read(n) if n > 0 else b""
        try:
            body = json.loads(raw.decode()) if raw else None
        except ValueError:
            body = None
        rec = {"method": h.command, "path": h.path,
               "headers": {k.lower(): v for k, v in h.headers.items()},
               "raw": raw, "body": body, "time": time.monotonic(),
               "status": None, "usage": None}
        with self.lock:
            self.requests.append(rec)
        if h.command != "POST" or h.path != self.base_path + "/chat/completions":
            rec["status"] = 404
            self._send(h, 404, json.dumps({"error": {"message": "no route %s %s" % (
                h.command, h.path), "type": "invalid_request_error"}}))
            return
        step = self._next()
        kind = step[0]
        if kind == "sleep":
            if self.stopping.wait(step[1]):
                return
            kind, step = "content", ("content",) + tuple(step[2:])
        if kind == "content":
            text = step[1](body) if callable(step[1]) else step[1]
            usage = step[2] if len(step) > 2 and step[2] else default_usage(body, text)
            rec["status"], rec["usage"] = 200, dict(usage)
            self._send(h, 200, self._completion(body, text, usage))
        elif kind == "status":
            code, retry_after = step[1], step[2] if len(step) > 2 else None
            rec["status"] = code
            headers = {} if retry_after is None else {"Retry-After": str(retry_after)}
            msg = "fake endpoint: HTTP %d (scripted)" % code
            self._send(h, code, json.dumps({"error": {"message": msg, "type": "fake_error",
                                                      "code": code}}), headers=headers)
        elif kind == "garbage":
            rec["status"] = 200
            self._send(h, 200, "<html>upstream proxy says hello</html> not json {",
                       ctype="text/html")
        else:
            raise ValueError("unknown fake LLM behaviour %r" % (step,))
