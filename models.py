"""Typed models of reviewgym's wire format (pydantic v2), for OpenEnv clients.

The server is C (`reviewgym serve`); these classes only describe what it sends and
accepts, field for field, as `GET /schema` (code_review) and
`GET /schema?family=pr_review` publish it. `tests/python/test_models.py` checks them
against a running server: every observation and state of real episodes validates,
the JSON Schemas agree with /schema (field names, required sets, enums), and every
action the server rejects with 422 is rejected here too.

Base classes: OpenEnv's `Action`, `Observation` and `State`
(`openenv.core.env_server.types`) when `openenv-core` is installed; otherwise local
equivalents with the same semantics (Action and Observation forbid unknown fields,
Observation carries `done`, `reward` and `metadata`, State allows extra fields).

The server is more tolerant than these models on purpose (README "Tolerant input"):
it also reads field aliases (`line`, `type`, `verdict`...), issue-type and decision
aliases (`security`, `LGTM`...), whole actions sent as model text (`{"text": ...}`),
whole-number floats and nulls for strings. The models describe the canonical form
only, so an action that validates here is never refused by the server.

On the wire an observation travels as `{"observation": {...}, "reward": r, "done": d}`
without `done`, `reward` and `metadata` inside it (OpenEnv's serialization rule);
`observation_from_wire()` puts the two back before validating.
"""
from __future__ import annotations

import re
from typing import Annotated, Any, Dict, List, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, StrictInt, field_validator

try:  # OpenEnv's own base classes when openenv-core is installed
    from openenv.core.env_server.types import Action, Observation, State

    OPENENV_BASES = True
except ImportError:  # the same semantics, without openenv-core
    OPENENV_BASES = False

    class Action(BaseModel):  # type: ignore[no-redef]
        """Base action: unknown fields are rejected; `metadata` is free-form."""

        model_config = ConfigDict(extra="forbid", validate_assignment=True,
                                  arbitrary_types_allowed=True)
        metadata: Dict[str, Any] = Field(default_factory=dict,
                                         description="Additional metadata for the action")

    class Observation(BaseModel):  # type: ignore[no-redef]
        """Base observation: unknown fields are rejected."""

        model_config = ConfigDict(extra="forbid", validate_assignment=True,
                                  arbitrary_types_allowed=True)
        done: bool = Field(default=False, description="Whether the episode has terminated")
        reward: Union[bool, int, float, None] = Field(
            default=None, description="Reward signal from the last action")
        metadata: Dict[str, Any] = Field(default_factory=dict,
                                         description="Additional metadata for the observation")

    class State(BaseModel):  # type: ignore[no-redef]
        """Base state: extra fields are allowed."""

        model_config = ConfigDict(extra="allow", validate_assignment=True,
                                  arbitrary_types_allowed=True)
        episode_id: Optional[str] = Field(default=None,
                                          description="Unique identifier for the current episode")
        step_count: int = Field(default=0, ge=0,
                                description="Number of steps taken in the current episode")


__all__ = [
    "OPENENV_BASES", "IssueType", "Decision", "Difficulty", "PRKind",
    "Finding", "CodeReviewAction", "PRReviewAction",
    "CodeReviewObservation", "PRReviewObservation", "PRHistoryEntry",
    "CodeReviewState", "PRReviewState", "observation_from_wire",
]

IssueType = Literal["bug", "logic_error", "security_vulnerability"]
Decision = Literal["approve", "request_changes", "escalate", "comment"]
Difficulty = Literal["easy", "medium", "hard"]
PRKind = Literal["single-pass-review", "iterative-negotiation", "escalation-judgment",
                 "custom-review"]

# Limits the server enforces (src/core/limits.h).
MAX_FINDINGS = 256
MAX_FINDING_TEXT = 4000
MAX_SUMMARY = 8000
MAX_COMMENT = 8000
MAX_LINE_NUMBER = 1000000

# The line-number text forms the server reads (rg_parse_line_text in src/env/action.c):
# an optional "line"/"lines"/"ln"/"l"/"#" prefix, a number, optionally a range
# separator (-, en dash, :, .., "to ") and a second number, spaces around.
_PREFIX = r"(?:(?:lines|line|ln|l)(?![A-Za-z])|#)?[ .:]*"
_LINE_TEXT = re.compile(r"^ *" + _PREFIX + r"([0-9]+) *(?:(?:-|:|\u2013|\.\.|to ) *"
                        + _PREFIX + r"([0-9]+) *)?\Z", re.IGNORECASE | re.ASCII)


def _check_line_text(text: str) -> str:
    m = _LINE_TEXT.match(text)
    ok = m is not None and len(text) <= 64 and "\0" not in text
    if ok:
        first = int(m.group(1))
        last = int(m.group(2)) if m.group(2) is not None else first
        ok = 1 <= first <= last <= MAX_LINE_NUMBER
    if not ok:
        raise ValueError('expected a line number such as 12, "L12" or "12-14", got %r' % text[:40])
    return text


class Finding(BaseModel):
    """One reported issue."""

    model_config = ConfigDict(extra="forbid", title="Finding")

    line_number: Union[Annotated[StrictInt, Field(ge=1)], str, List[StrictInt]] = Field(
        description='1-based line in code_to_review. Also accepted: "L12", "12-14", [12,14].')
    issue_type: Optional[IssueType] = Field(
        default=None, description="bug | logic_error | security_vulnerability; "
        "a finding without one earns no type credit.")
    description: str = Field(max_length=MAX_FINDING_TEXT,
                             description="What is wrong and why, in your own words.")
    suggested_fix: str = Field(default="", max_length=MAX_FINDING_TEXT,
                               description="How to fix it.")

    @field_validator("line_number")
    @classmethod
    def _line(cls, v: Any) -> Any:
        if isinstance(v, int):
            if not 1 <= v <= MAX_LINE_NUMBER:
                raise ValueError("expected a line number >= 1, got %d" % v)
        elif isinstance(v, str):
            _check_line_text(v)
        else:
            if not 1 <= len(v) <= 2 or not 1 <= v[0] <= v[-1] <= MAX_LINE_NUMBER:
                raise ValueError("expected [first, last] with 1 <= first <= last, got %r" % (v,))
        return v


class CodeReviewAction(Action):
    """One code_review attempt: every issue found in the snippet."""

    model_config = ConfigDict(title="CodeReviewAction")

    findings: List[Finding] = Field(default_factory=list, max_length=MAX_FINDINGS)
    review_summary: str = Field(default="", max_length=MAX_SUMMARY)


class PRReviewAction(Action):
    """One pr_review turn: a decision on the pull request, with the reason."""

    model_config = ConfigDict(title="PrReviewAction")

    decision: Decision = Field(description="approve ends the episode (merge); escalate ends it "
                               "(security hand-off); request_changes and comment continue.")
    comment: str = Field(default="", max_length=MAX_COMMENT,
                         description="What is wrong and why: name the root cause.")
    findings: List[Finding] = Field(default_factory=list, max_length=MAX_FINDINGS)


class CodeReviewObservation(Observation):
    """What a code_review agent sees (GET /schema, `observation`)."""

    model_config = ConfigDict(title="CodeReviewObservation")

    task_id: str
    title: Optional[str] = None
    task_description: str
    difficulty: Difficulty
    code_to_review: str = Field(description="Python source; line_number counts its lines from 1.")
    language: str
    num_known_issues: int = Field(ge=1)
    feedback: str
    issues_found_so_far: int = Field(ge=0)
    attempt: int = Field(ge=0, description="Attempts used on the task shown.")
    max_attempts: int = Field(ge=1)
    task_index: int = Field(ge=0, description="0-based index of the task shown.")
    num_tasks: int = Field(ge=1)
    reward_breakdown: Optional[Dict[str, Any]] = Field(
        description="How the last attempt was scored (null before the first attempt).")
    warnings: List[str] = Field(description="Repairs the action normaliser made.")
    family: Optional[Literal["code_review"]] = None
    episode_id: Optional[str] = None
    seed: Optional[int] = Field(default=None, ge=0)
    task_scores: Optional[List[Optional[float]]] = None
    episode_score: Optional[float] = None


class PRHistoryEntry(BaseModel):
    """One past pr_review turn."""

    model_config = ConfigDict(extra="allow")

    turn: Optional[int] = None
    decision: Optional[str] = None
    comment: Optional[str] = None
    author_reply: Optional[str] = None
    revision: Optional[int] = None
    reward: Optional[float] = None


class PRReviewObservation(Observation):
    """What a pr_review agent sees (GET /schema?family=pr_review, `observation`)."""

    model_config = ConfigDict(title="PrReviewObservation")

    task_id: str
    kind: PRKind
    difficulty: Optional[Difficulty] = Field(default=None, description="null for custom tasks.")
    pr_title: str
    pr_description: str
    file: Optional[str] = None
    diff: str
    code_to_review: Optional[str] = None
    language: Optional[str] = None
    revision: Optional[int] = Field(default=None, ge=1)
    author_message: str
    turn: int = Field(ge=0)
    max_turns: int = Field(ge=1)
    history: List[PRHistoryEntry]
    feedback: str
    allowed_decisions: List[str]
    reward_breakdown: Optional[Dict[str, Any]]
    warnings: List[str]
    family: Optional[Literal["pr_review"]] = None
    episode_id: Optional[str] = None
    seed: Optional[int] = Field(default=None, ge=0)
    success: Optional[bool] = None
    outcome: Optional[str] = None
    episode_score: Optional[float] = None


class CodeReviewState(State):
    """GET /state or WS `state` of a code_review episode (extra fields allowed)."""

    family: Optional[str] = None
    task_ids: Optional[List[str]] = None
    task_index: Optional[int] = None
    num_tasks: Optional[int] = None
    attempt: Optional[int] = None
    max_attempts: Optional[int] = None
    task_scores: Optional[List[Optional[float]]] = None
    episode_score: Optional[float] = None
    done: Optional[bool] = None
    seed: Optional[int] = None
    reward_mode: Optional[Literal["score", "delta"]] = None


class PRReviewState(State):
    """GET /state or WS `state` of a pr_review episode (extra fields allowed)."""

    family: Optional[str] = None
    task_id: Optional[str] = None
    kind: Optional[str] = None
    turn: Optional[int] = None
    max_turns: Optional[int] = None
    revision: Optional[int] = None
    turn_rewards: Optional[List[Optional[float]]] = None
    done: Optional[bool] = None
    success: Optional[bool] = None
    outcome: Optional[str] = None
    episode_score: Optional[float] = None
    seed: Optional[int] = None
    reward_mode: Optional[Literal["score", "delta"]] = None


def observation_from_wire(cls, payload: Dict[str, Any]):
    """Build `cls` (an Observation model) from a reset/step reply
    `{"observation": {...}, "reward": r, "done": d}`."""
    obs = dict(payload.get("observation") or {})
    obs["reward"] = payload.get("reward")
    obs["done"] = bool(payload.get("done", False))
    return cls.model_validate(obs)
