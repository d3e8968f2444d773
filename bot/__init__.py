"""Ogoh: cited answers for Central Asian migrant workers about the risks of being drawn into war."""

__version__ = "0.1.0"
