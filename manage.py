#!/usr/bin/env python
"""Django's command-line utility (same as `gongkai manage …`)."""

import sys

from gongkai.core.cli_server import run_manage

if __name__ == "__main__":
    sys.exit(run_manage(sys.argv[1:]))
