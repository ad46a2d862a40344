"""Rewards: the schedule and its arithmetic, a reward's steps, and the pages that take them."""
