"""Social supervisors' clues: filed like reports, followed only by whoever filed them."""
