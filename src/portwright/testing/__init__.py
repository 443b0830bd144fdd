"""Testing support any adapter gets for free: shipped fixtures and the standard suite.

The pytest plugin (``portwright.testing.plugin``) is registered through the ``pytest11``
entry point, so installing portwright makes its fixtures available to every test run.
"""

from __future__ import annotations

__all__: list[str] = []
