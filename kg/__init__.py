"""Knowledge graph of Swedish public-sector press releases."""

__version__ = "0.1.0"
