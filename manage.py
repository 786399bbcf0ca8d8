#!/usr/bin/env python
import os
import sys
from pathlib import Path


def main():
    # platform/ is a source root, not a package (a package named "platform" would shadow
    # Python's own module, which Daphne and pytest import).
    root = Path(__file__).resolve().parent
    for source_root in (root / "platform", root):
        if str(source_root) not in sys.path:
            sys.path.insert(0, str(source_root))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
