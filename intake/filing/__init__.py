"""Filing a report: the form, its evidence, the receipt, and registering reports received off-line."""
