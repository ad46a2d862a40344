"""Office performance (docs/domain.md §15): each office of a region compared with the others."""
