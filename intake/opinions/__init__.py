"""Social supervisors' opinions and suggestions, and the office's replies (docs/domain.md §14)."""
