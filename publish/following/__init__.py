"""Social supervisors follow regions and violation types, on a page and in a private feed."""
