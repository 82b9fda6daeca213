"""reviewgym: typed OpenEnv clients and models for the reviewgym environment server.

The server itself is C (`reviewgym serve`, see README.md). This package holds what a
Python trainer imports:

    from reviewgym import CodeReviewEnv, CodeReviewAction, Finding
    from reviewgym import PRReviewEnv, PRReviewAction

The clients need `openenv-core` (pip install 'openenv-core>=0.2.2'); the models only
need pydantic 2.
"""
from .client import OPENENV_CLIENT, CodeReviewEnv, PRReviewEnv, StepResult
from .models import (OPENENV_BASES, CodeReviewAction, CodeReviewObservation, CodeReviewState,
                     Finding, PRHistoryEntry, PRReviewAction, PRReviewObservation,
                     PRReviewState, observation_from_wire)

__all__ = [
    "CodeReviewEnv", "PRReviewEnv", "StepResult",
    "CodeReviewAction", "CodeReviewObservation", "CodeReviewState", "Finding",
    "PRReviewAction", "PRReviewObservation", "PRReviewState", "PRHistoryEntry",
    "observation_from_wire", "OPENENV_BASES", "OPENENV_CLIENT",
]
