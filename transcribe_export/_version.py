"""The one place the version lives (read by hatchling and by the code)."""

__version__ = "0.1.0"
