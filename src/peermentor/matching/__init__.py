"""The matching engine: pure Python + NumPy, scikit-learn and Numba; no web, no database.

Public API (imported lazily, so `import peermentor.matching.solver` stays light):
run_matching, MatchSettings, MatchResult, Pairing, allowed_pair_scores, why_not.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "run_matching": "peermentor.matching.engine",
    "MatchSettings": "peermentor.matching.settings",
    "CRITERIA": "peermentor.matching.settings",
    "DEFAULT_WEIGHTS": "peermentor.matching.settings",
    "MatchResult": "peermentor.matching.result",
    "Pairing": "peermentor.matching.result",
    "QualityReport": "peermentor.matching.result",
    "allowed_pair_scores": "peermentor.matching.audit",
    "why_not": "peermentor.matching.audit",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'peermentor.matching' has no attribute {name!r}")
