"""A tiny CLI that proves the image's Python contract."""
