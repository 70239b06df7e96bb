"""The test suite.

It runs on the pure domain modules, so that the coverage gate measures them: a compiled build in
build/native (app/_native.py) is only used when THUISZITTERS_NATIVE=1 asks for it, as the
domain pass of `make pytest-native` does.
"""

import os

os.environ.setdefault("THUISZITTERS_NATIVE", "0")
