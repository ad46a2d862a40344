"""Transfers out followed up (docs/domain.md §12): what was sent where, and what came back."""
