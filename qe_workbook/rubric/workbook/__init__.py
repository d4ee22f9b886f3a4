"""The rubric as an editable workbook: export for the clerk, import back to rubric.json."""
