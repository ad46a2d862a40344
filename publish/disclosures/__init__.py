"""Fund disclosures (基金收支信息披露): the import format and its checks, revisions, public pages and charts."""
