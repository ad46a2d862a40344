"""Working days on the official calendar, and the days administrators keep for unknown years."""
