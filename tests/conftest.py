"""Root conftest: fixtures shared by the whole suite come from shipped plugins.

The engine's fixtures (browser, context) arrive through the ``pytest11`` entry point;
the Valant sandbox fixtures are listed here.
"""

pytest_plugins = ["portwright_valant.testing"]
