"""Where Kompas leans on another library's private names: one module per library.

Each module holds the few functions or classes that touch names a library does not promise to
keep (leading underscores, internal classes, undocumented attributes), says in its docstring
what it relies on and why, and has a test in tests/core/test_compat.py that pins that behaviour
against the installed version. The rest of the code imports from here and touches no private
name of another library itself. docs/OPERATIONS.md ("Upgrading libraries") says what to check
before raising a version bound in pyproject.toml.

- `core.compat.asgiref`: which event loop a sync thread works for.
- `core.compat.channels`: a consumer's dispatch without Channels' per-message connection hop.
- `core.compat.channels_redis`: the pub/sub layer's per-loop layer and shards, for lock-free,
  batched publishes and a socket channel that survives a failed subscription.
- `core.compat.django_sessions`: saving session data that was just read, without reading it again.
"""
