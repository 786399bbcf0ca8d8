"""Benchmarks run only when asked for with `-m perf` (make perf), never in the normal suite."""

import pytest


def pytest_collection_modifyitems(config, items):
    if "perf" in (config.getoption("markexpr") or ""):
        return
    skip = pytest.mark.skip(reason="benchmark: run with `make perf` (pytest tests/perf -m perf -s)")
    for item in items:
        if "perf" in item.keywords:
            item.add_marker(skip)
