"""The public face: fund disclosures, typical cases, feeds and statistics (domain.md §5)."""
