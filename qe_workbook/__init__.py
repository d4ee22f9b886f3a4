"""qe_workbook: locked evaluation workbooks for the government quality work assessment."""

__version__ = "0.1.0"
