"""What each unit is told after scoring: the office's wording of the feedback (反馈修改稿) and the
fed-back list every later step reads (the letters, the 整改台账, the 共性问题)."""
