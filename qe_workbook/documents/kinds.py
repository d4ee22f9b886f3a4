"""Every kind of document made from a Word template: what `qe templates export/check` lists and what a set of
documents is checked against before its first file is written."""

from __future__ import annotations

from .common_docx import COMMON
from .notice_docx import NOTICE
from .templating import DocumentKind

DOCUMENT_KINDS: tuple[DocumentKind, ...] = (NOTICE, COMMON)
