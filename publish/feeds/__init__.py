"""RSS and Atom feeds of typical cases and disclosures, public and private."""
