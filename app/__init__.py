"""thuiszitters: register and case backbone for thuiszitters of a samenwerkingsverband.

The one thing done here: before anything imports the domain, serve the compiled build of its
hot modules when it exists and matches the sources (app/_native.py, docs/decisions/0013).
"""

from app import _native

_native.laad()
