"""The use cases: one module per business area. Each function is ``(deps, request) -> typed result``;
``deps`` (``services.deps.Deps``) carries the caller, the engine and the policy. This package is the only
place that loads data and calls analytics; tools, reports, the CLI and the API call it."""
