"""The annual report (年度报告, docs/domain.md §15): prepared with frozen figures, published by a second person as a page and a PDF."""
