"""The public roster of social supervisors (docs/domain.md §14): the page and its downloads."""
