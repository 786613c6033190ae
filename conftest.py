"""The fixtures every app's tests share live in ``cityhall.testing`` (see its ``plugin`` module)."""

pytest_plugins = ["cityhall.testing.plugin"]
