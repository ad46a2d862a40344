"""Working days: the official calendar, the days administrators enter, and the statutory holidays estimated for years the calendar does not cover."""
