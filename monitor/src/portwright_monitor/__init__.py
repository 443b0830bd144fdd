"""The canary monitor: runs read-only flows against the live portal and reports UI drift.

``portwright-monitor canary`` (:mod:`portwright_monitor.cli`) is the command a scheduler
runs; :func:`run_canary` is the same from Python, returning a :class:`CanaryReport`.
"""

from __future__ import annotations

from portwright_monitor.canary import run_canary
from portwright_monitor.report import CanaryReport, Finding, FlowCheck

__all__ = ["CanaryReport", "Finding", "FlowCheck", "run_canary"]
