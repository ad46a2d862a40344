"""A reporter's identity: its checks, its sealing, and the two-person way to open it."""
