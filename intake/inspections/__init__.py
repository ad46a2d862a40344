"""Inspections with social supervisors (docs/domain.md §14): announced by an office, joined by supervisors."""
