"""Satisfaction and review (满意度评价与复查, docs/domain.md §11): a reporter's rating of the
handling, a review asked of the level above, and that office's answer."""
