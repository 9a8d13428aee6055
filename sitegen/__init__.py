"""sitegen: a static site of Chinese district food-safety supervision plans."""

__version__ = "0.1.0"
