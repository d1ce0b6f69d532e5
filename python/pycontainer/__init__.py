"""pycontainer: build OCI images from Python projects with no Docker daemon.

The tool itself is JavaScript (the bundled files under _js/); this package is the launcher that runs
it with Node.js, so that `pip install pycontainer` / `uvx pycontainer` work where Python teams are.
"""
try:
    from ._version import __version__
except ImportError:  # a source checkout: scripts/wheel.mjs writes _version.py into the wheel
    __version__ = "0+unknown"
