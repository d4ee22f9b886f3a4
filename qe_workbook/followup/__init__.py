"""What follows the result (方案五(三)): 共性问题 per evaluating department, 先进典型, and the exports
for the result's users (综合考评, 问责)."""
