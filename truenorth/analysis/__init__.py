"""Text measures of shared understanding: plain Python over texts and numpy arrays, no Django."""
