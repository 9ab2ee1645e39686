"""One module per tool, each defining ``SPEC`` (a ``tools.spec.ToolSpec``); ``tools.registry`` collects them."""
