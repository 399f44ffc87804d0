"""jiesu (接诉即办): a case tool for 12345 citizen-hotline offices."""

__version__ = "0.1.0"
