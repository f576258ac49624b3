"""truenorth: does everyone here share the same picture of where we're going?"""

__version__ = "0.1.0"
