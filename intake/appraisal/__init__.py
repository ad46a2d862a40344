"""The yearly appraisal of social supervisors (考核, docs/domain.md §14).

An administrator of the appointing region or above sees a supervisor's year — the clues
they filed and where those stand — and records one result that cannot be changed: a
renewal of the term, or, for one found not competent, the end of it that day.
"""
