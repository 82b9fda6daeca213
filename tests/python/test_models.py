"""models.py and client.py against the real server: real episodes of both families
over HTTP and WebSocket validate with the models, the models' JSON Schemas agree with
GET /schema (field names, required sets, enums, consts, bounds), every action the
server refuses is refused by the models too (and the places where the models are
stricter than the tolerant server are pinned down), and client.py's conversions
round-trip real replies. Needs pydantic 2; openenv-core is not needed."""
import json
import unittest
import uuid

import os as _os
import sys as _sys
_sys.path.insert(0, _os.path.dirname(_os.path.abspath(__file__)))
from shell_common import Server, load_task, oracle_action, pydantic2

_SKIP = pydantic2()
if _SKIP:
    raise unittest.SkipTest("models need pydantic 2: " + _SKIP)

from pydantic import ValidationError  # noqa: E402

import client  # noqa: E402
import models  # noqa: E402
from models import (CodeReviewAction, CodeReviewObservation, CodeReviewState,  # noqa: E402
                    PRReviewAction, PRReviewObservation, PRReviewState)
from wsclient import WebSocket  # noqa: E402

# ---------------------------------------------------------------------------
# JSON Schema comparison
# ---------------------------------------------------------------------------


def _resolve(schema, defs):
    while "$ref" in schema:
        schema = defs[schema["$ref"].split("/")[-1]]
    return schema


def facets(schema, defs):
    """What a property schema allows, in a form both generators agree on."""
    schema = _resolve(schema, defs)
    alts = schema["anyOf"] if "anyOf" in schema else [schema]
    f = {"nullable": False, "types": set(), "enum": None, "const": None,
         "minimum": None, "maxLength": None, "maxItems": None, "items": None}
    for alt in alts:
        alt = _resolve(alt, defs)
        if alt.get("type") == "null":
            f["nullable"] = True
            continue
        if "type" in alt:
            f["types"].add(alt["type"])
        if "enum" in alt:
            f["enum"] = sorted(alt["enum"])
            if "type" not in alt:  # {"enum": [...]} alone: the type of its values
                f["types"] |= {"string" if isinstance(v, str) else "number" for v in alt["enum"]}
        for k in ("const", "minimum", "maxLength", "maxItems"):
            if k in alt:
                f[k] = alt[k]
        if "items" in alt:
            f["items"] = _resolve(alt["items"], defs)
    return f


def props(schema):
    return schema.get("properties", {})


BASE_FIELDS = {"metadata", "done", "reward"}  # OpenEnv's base classes define these


class SchemaCompare:
    def compare_object(self, ours, ours_defs, served, served_defs, where, check_base=False):
        op, sp = props(ours), props(served)
        self.assertEqual(sorted(op), sorted(sp), "%s: field names" % where)
        self.assertEqual(sorted(ours.get("required", [])), sorted(served.get("required", [])),
                         "%s: required fields" % where)
        self.assertEqual(ours.get("additionalProperties", True),
                         served.get("additionalProperties", True),
                         "%s: additionalProperties" % where)
        required = set(served.get("required", []))
        for name in sp:
            if name in BASE_FIELDS and not check_base:
                continue
            fo, fs = facets(op[name], ours_defs), facets(sp[name], served_defs)
            w = "%s.%s" % (where, name)
            for k in ("types", "enum", "const", "minimum", "maxLength", "maxItems"):
                self.assertEqual(fo[k], fs[k], "%s: %s" % (w, k))
            # A field the server may send as null must be nullable here; a required
            # non-null field must not be. Optional fields may be None (= absent).
            if fs["nullable"] or name in required:
                self.assertEqual(fo["nullable"], fs["nullable"], "%s: nullable" % w)
            if fs["items"] is not None or fo["items"] is not None:
                io, is_ = fo["items"] or {}, fs["items"] or {}
                if "properties" in is_ or "properties" in io:
                    self.compare_object(io, ours_defs, is_, served_defs, w + "[]")
                else:
                    fio, fis = facets(io, ours_defs), facets(is_, served_defs)
                    self.assertEqual(fio["types"], fis["types"], w + "[]: types")
                    self.assertEqual(fio["nullable"], fis["nullable"], w + "[]: nullable")


def action_error(server, family, action):
    """Reset a fresh HTTP episode and step it once: (accepted, reply)."""
    eid = "shell-%s" % uuid.uuid4().hex[:12]
    st, _, body = server.http("POST", "/reset", {"episode_id": eid, "family": family})
    assert st == 200, body
    st, _, body = server.http("POST", "/step", {"episode_id": eid, "action": action})
    assert st in (200, 422), (st, body)
    return st == 200, body


def model_accepts(cls, action):
    try:
        cls.model_validate(action)
        return True
    except ValidationError:
        return False


def verdict(task, version):
    if not version["issues"]:
        return "correct"
    sev = {i["id"]: i["severity"] for i in task["issues"]}
    return "critical" if any(sev[i["id"]] == "critical" for i in version["issues"]) else "flawed"


def pr_ideal(obs):
    """The ideal stance for the revision shown, explained with the ground truth."""
    task = load_task(obs["task_id"])
    version = task["versions"][obs["revision"] - 1]
    v = verdict(task, version)
    if v == "correct":
        return PRReviewAction(decision="approve", comment="The change is correct and complete.")
    defs = {i["id"]: i for i in task["issues"]}
    text = " ".join(defs[i["id"]]["explanation"] + " " + defs[i["id"]]["fix"]
                    for i in version["issues"])
    return PRReviewAction(decision="escalate" if v == "critical" else "request_changes",
                          comment=text)


class ShellTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s = Server("--log-level", "warn")
        cls.schema = {"code_review": cls.s.http("GET", "/schema")[2],
                      "pr_review": cls.s.http("GET", "/schema?family=pr_review")[2]}

    @classmethod
    def tearDownClass(cls):
        cls.s.stop_clean()


class SchemaAgreementTest(ShellTest, SchemaCompare):
    def check_family(self, family, action_cls, obs_cls):
        served = self.schema[family]
        for part, cls in (("action", action_cls), ("observation", obs_cls)):
            ours = cls.model_json_schema()
            self.assertEqual(ours.get("title"), served[part].get("title"), part + ": title")
            self.compare_object(ours, ours.get("$defs", {}), served[part],
                                served[part].get("$defs", {}), "%s.%s" % (family, part))

    def test_code_review_schema(self):
        self.check_family("code_review", CodeReviewAction, CodeReviewObservation)

    def test_pr_review_schema(self):
        self.check_family("pr_review", PRReviewAction, PRReviewObservation)

    def test_finding_schema(self):
        ours = CodeReviewAction.model_json_schema()
        for family in ("code_review", "pr_review"):
            served = self.schema[family]["action"]
            self.compare_object(ours["$defs"]["Finding"], ours["$defs"],
                                served["$defs"]["Finding"], served["$defs"], family + ".Finding")

    def test_state_schema(self):
        """/schema's state is one schema for both families; together our two State
        models have exactly its fields, and both allow extra fields."""
        served = self.schema["code_review"]["state"]
        self.assertEqual(served, self.schema["pr_review"]["state"])
        cr, pr = CodeReviewState.model_json_schema(), PRReviewState.model_json_schema()
        self.assertEqual(sorted(set(props(cr)) | set(props(pr))), sorted(props(served)))
        for ours in (cr, pr):
            self.assertTrue(ours.get("additionalProperties", True))
            for name, sch in props(ours).items():
                fo, fs = facets(sch, {}), facets(props(served)[name], {})
                for k in ("types", "enum", "minimum"):
                    self.assertEqual(fo[k], fs[k], "state.%s: %s" % (name, k))
        self.assertEqual(sorted(served.get("required", [])), [])

    def test_issue_type_and_decision_enums(self):
        self.assertEqual(sorted(models.IssueType.__args__),
                         sorted(self.schema["code_review"]["action"]["$defs"]["Finding"]
                                ["properties"]["issue_type"]["enum"]))
        self.assertEqual(sorted(models.Decision.__args__),
                         sorted(self.schema["pr_review"]["action"]["properties"]["decision"]
                                ["enum"]))

    def test_openenv_base_semantics(self):
        """Action/Observation forbid unknown fields, State allows them (with or
        without openenv-core)."""
        with self.assertRaises(ValidationError):
            CodeReviewAction.model_validate({"findings": [], "bogus": 1})
        self.assertEqual(CodeReviewAction().metadata, {})
        st = CodeReviewState.model_validate({"episode_id": "e", "step_count": 2, "future": 1})
        self.assertEqual(st.model_dump()["future"], 1)
        with self.assertRaises(ValidationError):
            CodeReviewState.model_validate({"step_count": -1})
        obs = CodeReviewObservation.model_construct()
        self.assertFalse(obs.done)
        self.assertIsNone(obs.reward)


class EpisodeTest(ShellTest):
    """Every observation and state of real episodes validates with the models."""

    def http_step(self, eid, action):
        payload = client.step_payload(action)
        st, _, body = self.s.http("POST", "/step", {"episode_id": eid, "action": payload})
        self.assertEqual(st, 200, body)
        return body

    def http_state(self, eid, cls):
        st, _, body = self.s.http("GET", "/state?episode_id=" + eid)
        self.assertEqual(st, 200, body)
        state = cls.model_validate(body)
        self.assertEqual(state.episode_id, eid)
        return state

    def test_code_review_over_http(self):
        eid = "shell-cr-" + uuid.uuid4().hex[:8]
        st, _, body = self.s.http("POST", "/reset", {"episode_id": eid, "seed": 11})
        self.assertEqual(st, 200, body)
        obs = models.observation_from_wire(CodeReviewObservation, body)
        self.assertEqual(obs.episode_id, eid)
        self.assertIsNone(obs.reward_breakdown)
        self.http_state(eid, CodeReviewState)
        # one empty attempt (feedback, zero score), then the reference review per task
        body = self.http_step(eid, CodeReviewAction())
        obs = models.observation_from_wire(CodeReviewObservation, body)
        self.assertEqual(obs.attempt, 1)
        self.assertIsNotNone(obs.reward_breakdown)
        steps = 1
        while not body["done"]:
            action = CodeReviewAction.model_validate(oracle_action(obs.task_id))
            body = self.http_step(eid, action)
            obs = models.observation_from_wire(CodeReviewObservation, body)
            self.assertEqual(obs.warnings, [], "a model-built action needs no repair")
            steps += 1
            self.assertLess(steps, 20)
        self.assertTrue(obs.done)
        self.assertAlmostEqual(obs.episode_score, 1.0)
        state = self.http_state(eid, CodeReviewState)
        self.assertTrue(state.done)
        self.assertEqual(state.step_count, steps)

    def test_code_review_over_ws(self):
        ws = WebSocket("ws://127.0.0.1:%d/ws" % self.s.port)
        try:
            reply = ws.request({"type": "reset", "data": {"seed": 5}})
            self.assertEqual(reply["type"], "observation", reply)
            r = client.parse_result(CodeReviewObservation, reply["data"])
            n = 0
            while not r.done:
                action = CodeReviewAction.model_validate(oracle_action(r.observation.task_id))
                reply = ws.request({"type": "step", "data": client.step_payload(action)})
                self.assertEqual(reply["type"], "observation", reply)
                r = client.parse_result(CodeReviewObservation, reply["data"])
                self.assertIsInstance(r.observation, CodeReviewObservation)
                n += 1
            reply = ws.request({"type": "state"})
            self.assertEqual(reply["type"], "state")
            state = client.parse_state(CodeReviewState, reply["data"])
            self.assertEqual(state.step_count, n)
            self.assertEqual(state.task_scores, [1.0] * state.num_tasks)
        finally:
            ws.close()

    def test_every_pr_scenario_over_ws(self):
        tasks = self.s.http("GET", "/tasks")[2]["tasks"]
        ids = [t["id"] for t in tasks
               if t["family"] == "pr_review" and t.get("kind") != "custom-review"
               and not t["id"].startswith("custom-")]
        self.assertGreater(len(ids), 0)
        ws = WebSocket("ws://127.0.0.1:%d/ws" % self.s.port)
        try:
            for tid in ids:
                reply = ws.request({"type": "reset",
                                    "data": {"family": "pr_review", "task_id": tid}})
                r = client.parse_result(PRReviewObservation, reply["data"])
                self.assertEqual(r.observation.task_id, tid)
                while not r.done:
                    action = pr_ideal(r.observation.model_dump())
                    reply = ws.request({"type": "step", "data": client.step_payload(action)})
                    self.assertEqual(reply["type"], "observation", reply)
                    r = client.parse_result(PRReviewObservation, reply["data"])
                self.assertTrue(r.observation.success, tid)
                self.assertEqual(r.observation.allowed_decisions, [])
                state = client.parse_state(PRReviewState,
                                           ws.request({"type": "state"})["data"])
                self.assertEqual(state.task_id, tid)
                self.assertTrue(state.done)
                for h in r.observation.history:
                    self.assertIsInstance(h, models.PRHistoryEntry)
        finally:
            ws.close()

    def test_pr_negotiation_over_http(self):
        eid = "shell-pr-" + uuid.uuid4().hex[:8]
        st, _, body = self.s.http("POST", "/reset", {"episode_id": eid, "family": "pr_review",
                                                     "task_id": "pr-medium-sqli-negotiation"})
        self.assertEqual(st, 200, body)
        obs = models.observation_from_wire(PRReviewObservation, body)
        self.http_state(eid, PRReviewState)
        vague = PRReviewAction(decision="request_changes", comment="something feels off")
        body = self.http_step(eid, vague)
        obs = models.observation_from_wire(PRReviewObservation, body)
        self.assertEqual(obs.turn, 1)
        while not body["done"]:
            body = self.http_step(eid, pr_ideal(obs.model_dump()))
            obs = models.observation_from_wire(PRReviewObservation, body)
        self.assertTrue(obs.success)
        self.assertIsNotNone(obs.outcome)
        state = self.http_state(eid, PRReviewState)
        self.assertEqual(len(state.turn_rewards), obs.turn)

    def test_custom_review(self):
        """A custom task: kind custom-review, difficulty null, reward null."""
        st, _, body = self.s.http("POST", "/config/custom",
                                  {"code": "def div(a, b):\n    return a / b\n"})
        self.assertEqual(st, 200, body)
        eid = "shell-custom-" + uuid.uuid4().hex[:8]
        st, _, body = self.s.http("POST", "/reset", {"episode_id": eid,
                                                     "task_id": body["task_id"]})
        self.assertEqual(st, 200, body)
        obs = models.observation_from_wire(PRReviewObservation, body)
        self.assertEqual(obs.kind, "custom-review")
        self.assertIsNone(obs.difficulty)
        body = self.http_step(eid, PRReviewAction(
            decision="request_changes", comment="b == 0 raises ZeroDivisionError",
            findings=[models.Finding(line_number=2, issue_type="bug",
                                     description="division by zero when b is 0")]))
        obs = models.observation_from_wire(PRReviewObservation, body)
        self.assertTrue(obs.done)


# (name, action, server accepts, model accepts). Where the two differ, the model is
# the stricter: it describes the canonical form, the server also repairs aliases.
LONG = "x" * 4000
CODE_REVIEW_CASES = [
    ("canonical", {"findings": [{"line_number": 3, "issue_type": "bug", "description": "d",
                                 "suggested_fix": "f"}], "review_summary": "s"}, True, True),
    ("empty action", {}, True, True),
    ("metadata", {"metadata": {"k": [1]}, "findings": []}, True, True),
    ("no issue_type", {"findings": [{"line_number": 3, "description": "d"}]}, True, True),
    ("null issue_type", {"findings": [{"line_number": 3, "issue_type": None,
                                       "description": "d"}]}, True, True),
    ("line as text", {"findings": [{"line_number": "L3", "description": "d"}]}, True, True),
    ("line range", {"findings": [{"line_number": [3, 5], "description": "d"}]}, True, True),
    ("one-item range", {"findings": [{"line_number": [3], "description": "d"}]}, True, True),
    ("4000-char texts", {"findings": [{"line_number": 1, "description": LONG,
                                       "suggested_fix": LONG}]}, True, True),
    ("4000 code points", {"findings": [{"line_number": 1, "description": "\u00e9" * 4000}]},
     True, True),
    ("8000-char summary", {"review_summary": "s" * 8000}, True, True),
    ("256 findings", {"findings": [{"line_number": i + 1, "description": "d"}
                                   for i in range(256)]}, True, True),
    # refused by both
    ("line 0", {"findings": [{"line_number": 0, "description": "d"}]}, False, False),
    ("line negative", {"findings": [{"line_number": -2, "description": "d"}]}, False, False),
    ("line too big", {"findings": [{"line_number": 1000001, "description": "d"}]}, False, False),
    ("line boolean", {"findings": [{"line_number": True, "description": "d"}]}, False, False),
    ("line 3.5", {"findings": [{"line_number": 3.5, "description": "d"}]}, False, False),
    ("line object", {"findings": [{"line_number": {"a": 1}, "description": "d"}]}, False, False),
    ("line null", {"findings": [{"line_number": None, "description": "d"}]}, False, False),
    ("line text junk", {"findings": [{"line_number": "abc", "description": "d"}]}, False, False),
    ("range reversed", {"findings": [{"line_number": [5, 3], "description": "d"}]}, False, False),
    ("range of 3", {"findings": [{"line_number": [1, 2, 3], "description": "d"}]}, False, False),
    ("range with text", {"findings": [{"line_number": [3, "a"], "description": "d"}]},
     False, False),
    ("empty range", {"findings": [{"line_number": [], "description": "d"}]}, False, False),
    ("no line", {"findings": [{"description": "d"}]}, False, False),
    ("no description", {"findings": [{"line_number": 3}]}, False, False),
    ("issue_type number", {"findings": [{"line_number": 3, "issue_type": 5,
                                         "description": "d"}]}, False, False),
    ("description 4001", {"findings": [{"line_number": 1, "description": LONG + "x"}]},
     False, False),
    ("fix 4001", {"findings": [{"line_number": 1, "description": "d",
                                "suggested_fix": LONG + "x"}]}, False, False),
    ("description number", {"findings": [{"line_number": 1, "description": 7}]}, False, False),
    ("summary 8001", {"review_summary": "s" * 8001}, False, False),
    ("summary number", {"review_summary": 5}, False, False),
    ("257 findings", {"findings": [{"line_number": 1, "description": "d"}] * 257}, False, False),
    ("findings text", {"findings": "nope"}, False, False),
    ("finding not object", {"findings": [5]}, False, False),
    ("unknown field", {"findings": [], "foo": 1}, False, False),
    ("unknown finding field", {"findings": [{"line_number": 1, "description": "d", "x": 1}]},
     False, False),
    ("field twice via alias", {"findings": [{"line_number": 1, "line": 2, "description": "d"}]},
     False, False),
    ("metadata not object", {"metadata": "x"}, False, False),
    # the tolerant server reads these; the models keep to the canonical form
    ("unknown issue_type (server warns)", {"findings": [{"line_number": 3, "issue_type": "typo",
                                                         "description": "d"}]}, True, False),
    ("issue_type alias", {"findings": [{"line_number": 3, "issue_type": "security",
                                        "description": "d"}]}, True, False),
    ("line 3.0", {"findings": [{"line_number": 3.0, "description": "d"}]}, True, False),
    ("null description", {"findings": [{"line_number": 3, "description": None}]}, True, False),
    ("field alias line", {"findings": [{"line": 3, "description": "d"}]}, True, False),
    ("list alias issues", {"issues": [{"line_number": 3, "description": "d"}]}, True, False),
    ("model text", {"text": '```json\n{"findings": []}\n```'}, True, False),
]

PR_REVIEW_CASES = [
    ("canonical", {"decision": "request_changes", "comment": "c"}, True, True),
    ("decision only", {"decision": "comment"}, True, True),
    ("with findings", {"decision": "request_changes", "comment": "c",
                       "findings": [{"line_number": 1, "issue_type": "bug",
                                     "description": "d"}]}, True, True),
    ("8000-char comment", {"decision": "comment", "comment": "c" * 8000}, True, True),
    ("no decision", {"comment": "c"}, False, False),
    ("unknown decision", {"decision": "maybe", "comment": "c"}, False, False),
    ("decision number", {"decision": 1}, False, False),
    ("comment 8001", {"decision": "comment", "comment": "c" * 8001}, False, False),
    ("bad finding line", {"decision": "comment", "findings": [{"line_number": 0,
                                                               "description": "d"}]},
     False, False),
    ("unknown field", {"decision": "comment", "x": 1}, False, False),
    ("decision alias LGTM", {"decision": "LGTM"}, True, False),
    ("decision APPROVE", {"decision": "APPROVE"}, True, False),
    ("field alias verdict", {"verdict": "approve"}, True, False),
]

# Line numbers given as text: the model applies the server's own grammar, so the two
# must agree on every one of these, both ways.
LINE_TEXTS = ["12", "L12", "l 12", "line: 12", "Line 12", "LINE12", "lines 12-14", "12..14",
              "12 to 14", "12 TO 14", "#12", "12\u201314", "12:14", "12 - 14", " 7 ",
              "Line 3 to line 5", "L3-L5", "ln.5", "1-1000000", "0012", "12-10", "0", "L0",
              "abc", "12\n", "L12x", "12-", "-3", "1000001", "", " ", "12 14", "3,4",
              "line", "linex 12", "\u0661\u0662", "12.5", "L 1 . 2", "x" * 70]


class ActionAgreementTest(ShellTest):
    def run_cases(self, family, cls, cases):
        for name, action, server_ok, model_ok in cases:
            with self.subTest(family=family, case=name):
                accepted, body = action_error(self.s, family, action)
                self.assertEqual(accepted, server_ok, "server: %s" % json.dumps(body)[:300])
                self.assertEqual(model_accepts(cls, action), model_ok)
                if model_ok:  # a model-valid action, dumped by the client, is accepted as is
                    payload = client.step_payload(cls.model_validate(action))
                    self.assertTrue(action_error(self.s, family, payload)[0], payload)

    def test_code_review_actions(self):
        self.run_cases("code_review", CodeReviewAction, CODE_REVIEW_CASES)

    def test_pr_review_actions(self):
        self.run_cases("pr_review", PRReviewAction, PR_REVIEW_CASES)

    def test_line_text_grammar_matches_server(self):
        for text in LINE_TEXTS:
            with self.subTest(line=text):
                action = {"findings": [{"line_number": text, "description": "d"}]}
                server_ok = action_error(self.s, "code_review", action)[0]
                self.assertEqual(model_accepts(CodeReviewAction, action), server_ok)

    def test_ws_rejects_what_models_reject(self):
        """Over /ws too: VALIDATION_ERROR exactly where the model refuses (no alias cases)."""
        ws = WebSocket("ws://127.0.0.1:%d/ws" % self.s.port)
        try:
            for name, action, server_ok, model_ok in CODE_REVIEW_CASES:
                if server_ok != model_ok:
                    continue
                with self.subTest(case=name):
                    ws.request({"type": "reset", "data": {}})
                    reply = ws.request({"type": "step", "data": action})
                    if model_ok:
                        self.assertEqual(reply["type"], "observation", reply)
                    else:
                        self.assertEqual(reply["type"], "error")
                        self.assertEqual(reply["data"]["code"], "VALIDATION_ERROR")
        finally:
            ws.close()


class ClientConversionTest(ShellTest):
    """client.py's conversions on real replies, without openenv-core."""

    def test_payload_round_trip_and_parse(self):
        ws = WebSocket("ws://127.0.0.1:%d/ws" % self.s.port)
        try:
            reply = ws.request({"type": "reset", "data": {"family": "pr_review",
                                                          "task_id": "pr-hard-jwt-secret"}})
            data = reply["data"]
            r = client.parse_result(PRReviewObservation, data)
            self.assertIsNone(r.reward)
            self.assertFalse(r.done)
            dumped = r.observation.model_dump(mode="json", exclude_unset=True)
            self.assertEqual(dumped.pop("done"), data["done"])
            self.assertEqual(dumped.pop("reward"), data["reward"])
            self.assertEqual(dumped, data["observation"])  # nothing lost, nothing added

            action = pr_ideal(r.observation.model_dump())
            payload = client.step_payload(action)
            self.assertEqual(PRReviewAction.model_validate(payload), action)
            self.assertEqual(json.loads(json.dumps(payload)), payload)
            reply = ws.request({"type": "step", "data": payload})
            r = client.parse_result(PRReviewObservation, reply["data"])
            self.assertEqual(r.reward, reply["data"]["reward"])
            self.assertTrue(r.done)
            self.assertEqual(r.observation.outcome, "escalated")

            data = ws.request({"type": "state"})["data"]
            state = client.parse_state(PRReviewState, data)
            self.assertEqual(state.model_dump(mode="json", exclude_unset=True), data)
        finally:
            ws.close()

    def test_text_and_dict_payloads(self):
        self.assertEqual(client.step_payload("LGTM"), {"text": "LGTM"})
        raw = {"verdict": "approve"}
        self.assertEqual(client.step_payload(raw), raw)
        ok, body = action_error(self.s, "pr_review",
                                client.step_payload('{"decision": "comment", "comment": "hm"}'))
        self.assertTrue(ok, body)
        obs = models.observation_from_wire(PRReviewObservation, body)
        self.assertEqual(obs.history[-1].decision, "comment")

    def test_client_classes(self):
        """The EnvClient methods delegate to the conversions; without openenv-core,
        constructing a client raises an ImportError that says what to install."""
        for cls, obs_cls, state_cls in ((client.CodeReviewEnv, CodeReviewObservation,
                                         CodeReviewState),
                                        (client.PRReviewEnv, PRReviewObservation,
                                         PRReviewState)):
            env = object.__new__(cls)
            self.assertEqual(env._step_payload({"a": 1}), {"a": 1})
            eid = "shell-cls-" + uuid.uuid4().hex[:8]
            family = "pr_review" if obs_cls is PRReviewObservation else "code_review"
            body = self.s.http("POST", "/reset", {"episode_id": eid, "family": family})[2]
            self.assertIsInstance(env._parse_result(body).observation, obs_cls)
            state = self.s.http("GET", "/state?episode_id=" + eid)[2]
            self.assertIsInstance(env._parse_state(state), state_cls)
        if not client.OPENENV_CLIENT:
            with self.assertRaises(ImportError) as cm:
                client.CodeReviewEnv(base_url="http://127.0.0.1:1")
            self.assertIn("openenv-core", str(cm.exception))


if __name__ == "__main__":
    unittest.main()
