"""The case office: the transition table, its operations, the work queue and the report page."""
