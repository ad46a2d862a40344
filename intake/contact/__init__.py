"""The reporter's contact (docs/domain.md §10): a phone or mailbox only for "there is news"."""
