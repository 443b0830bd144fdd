"""The Valant adapter runs portwright's standard adapter suite: flows and maps parse, every
logical name exists in each map version, every recording replays offline to its golden
output, and every golden output validates against the entity schemas."""

from __future__ import annotations

from portwright.testing.standard_suite import adapter_test_class

TestValantStandardSuite = adapter_test_class("valant")
