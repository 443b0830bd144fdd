"""Step handlers, one module per step kind; :mod:`portwright.steps.registry` maps models
to handlers."""
