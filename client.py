"""Typed OpenEnv clients for reviewgym's two environment families.

    from reviewgym import CodeReviewEnv, CodeReviewAction, Finding

    with CodeReviewEnv(base_url="http://localhost:8000").sync() as env:
        r = env.reset(seed=7)
        r = env.step(CodeReviewAction(findings=[Finding(
            line_number=15, issue_type="bug",
            description="tax_rate is not defined (NameError)", suggested_fix="use TAX_RATE")]))
        print(r.reward, r.observation.feedback)

    with PRReviewEnv(base_url="http://localhost:8000").sync() as env:
        r = env.reset()                      # family=pr_review is added for you
        r = env.step(PRReviewAction(decision="request_changes", comment="..."))

Both are `openenv.core.env_client.EnvClient` subclasses: they speak `/ws` with
OpenEnv's framing and only implement the three conversions EnvClient asks for
(`_step_payload`, `_parse_result`, `_parse_state`). The conversions are also plain
module functions (`step_payload`, `parse_result`, `parse_state`), usable and tested
without openenv-core. This module imports without openenv-core; constructing a
client then raises ImportError saying what to install.

A step accepts a model instance, a dict (sent as is, so aliases and the server's
tolerant forms such as `{"text": "<model output>"}` work), or a string (sent as
`{"text": ...}`, the raw model output for the server's tolerant parser).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, Generic, Optional, TypeVar, Union

if __package__:  # reviewgym.client (installed package, or the repo imported as a package)
    from .models import (CodeReviewAction, CodeReviewObservation, CodeReviewState,
                         PRReviewAction, PRReviewObservation, PRReviewState,
                         observation_from_wire)
else:  # client.py imported from the repository root
    from models import (CodeReviewAction, CodeReviewObservation,  # type: ignore
                        CodeReviewState, PRReviewAction, PRReviewObservation,
                        PRReviewState, observation_from_wire)

_ObsT = TypeVar("_ObsT")

try:
    from openenv.core.client_types import StepResult
    from openenv.core.env_client import EnvClient

    OPENENV_CLIENT = True
    _OPENENV_IMPORT_ERROR: Optional[BaseException] = None
except ImportError as _e:  # openenv-core (and its websockets) not installed
    OPENENV_CLIENT = False
    _OPENENV_IMPORT_ERROR = _e

    @dataclass
    class StepResult(Generic[_ObsT]):  # type: ignore[no-redef]
        """Same fields as openenv.core.client_types.StepResult."""

        observation: _ObsT
        reward: Optional[float] = None
        done: bool = False
        metadata: Optional[Dict[str, Any]] = None

    class EnvClient:  # type: ignore[no-redef]
        """Stand-in so this module imports without openenv-core; using it raises."""

        def __class_getitem__(cls, _params):
            return cls

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            raise ImportError(
                "reviewgym's typed clients need OpenEnv's client: pip install "
                "'openenv-core>=0.2.2' (or `uv sync` in this repository). "
                "Original error: %s" % (_OPENENV_IMPORT_ERROR,))


__all__ = ["CodeReviewEnv", "PRReviewEnv", "StepResult", "OPENENV_CLIENT",
           "step_payload", "parse_result", "parse_state"]


def step_payload(action: Union[CodeReviewAction, PRReviewAction, Dict[str, Any], str]
                 ) -> Dict[str, Any]:
    """The `data` of a WS `step` message (the action object itself)."""
    if isinstance(action, str):
        return {"text": action}
    if isinstance(action, dict):
        return dict(action)
    return action.model_dump(mode="json", exclude_none=True)


def parse_result(observation_cls, payload: Dict[str, Any]) -> StepResult:
    """A reset/step reply's `data` (`{"observation", "reward", "done"}`) as a
    StepResult whose observation is an `observation_cls` instance."""
    obs = observation_from_wire(observation_cls, payload)
    return StepResult(observation=obs, reward=payload.get("reward"),
                      done=bool(payload.get("done", False)))


def parse_state(state_cls, payload: Dict[str, Any]):
    """A `state` reply's `data` as a `state_cls` instance (extra fields kept)."""
    return state_cls.model_validate(payload)


class CodeReviewEnv(EnvClient[CodeReviewAction, CodeReviewObservation, CodeReviewState]):
    """code_review episodes: report every issue of a snippet, up to 3 attempts a task."""

    def _step_payload(self, action: Union[CodeReviewAction, Dict[str, Any], str]
                      ) -> Dict[str, Any]:
        return step_payload(action)

    def _parse_result(self, payload: Dict[str, Any]) -> StepResult:
        return parse_result(CodeReviewObservation, payload)

    def _parse_state(self, payload: Dict[str, Any]) -> CodeReviewState:
        return parse_state(CodeReviewState, payload)


class PRReviewEnv(EnvClient[PRReviewAction, PRReviewObservation, PRReviewState]):
    """pr_review episodes: negotiate a pull request with a simulated author."""

    async def reset(self, **kwargs: Any):  # type: ignore[override]
        kwargs.setdefault("family", "pr_review")
        return await super().reset(**kwargs)

    def _step_payload(self, action: Union[PRReviewAction, Dict[str, Any], str]
                      ) -> Dict[str, Any]:
        return step_payload(action)

    def _parse_result(self, payload: Dict[str, Any]) -> StepResult:
        return parse_result(PRReviewObservation, payload)

    def _parse_state(self, payload: Dict[str, Any]) -> PRReviewState:
        return parse_state(PRReviewState, payload)
