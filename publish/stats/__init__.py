"""Public statistics of how reports are handled, small counts suppressed."""
