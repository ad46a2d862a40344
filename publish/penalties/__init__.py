"""The public list of penalty decisions (处理结果公示): publishing, credit repairs, pages, downloads."""
