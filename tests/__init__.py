"""kazgraph's tests. Loads through the command line keep their parse cache in a temporary
folder (loader.parse_cache), never in the user's cache."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

os.environ["KAZGRAPH_CACHE"] = _CACHE = tempfile.mkdtemp(prefix="kazgraph-test-cache-")
atexit.register(shutil.rmtree, _CACHE, ignore_errors=True)
