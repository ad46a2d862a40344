"""A reporter's return visits on /track: the receipt check, their page, replies and claims."""
