"""What the office's PC has for this tool (`qe doctor`): Python and packages, fonts, LibreOffice, the workspace."""
