"""Code that relies on private names of another library: one module per library, each pinned by
tests/core/test_compat.py; docs/OPERATIONS.md says what to check when upgrading."""
