"""Reading a unit's 自评报告 (.docx): its length, the four sections of 附件2, the attached cases.

What is counted: every paragraph of the body, tables included, in document order, up to the
attachment heading (a paragraph starting with 附件 that names 案例, or 典型案例 alone); the
title and headings count, as in Word. Template hints (a paragraph wholly in 【】) do not count.
Cases are the attachment's paragraphs starting "案例一" / "典型案例1" …; when there are none,
its first-level headings (一、二、…).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from io import BytesIO
from zipfile import BadZipFile

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from lxml.etree import XMLSyntaxError

from .wordcount import count_chars

_NUM = "一二三四五六七八九十"
SECTION_PATTERNS = (
    ("一、质量工作情况", re.compile(r"^一[、.．]\s*.*质量工作(情况|总体)")),
    ("二、工作亮点", re.compile(r"^二[、.．]\s*.*亮点")),
    ("三、工作存在的问题", re.compile(r"^三[、.．]\s*.*问题")),
    ("四、下一步工作措施", re.compile(r"^四[、.．]\s*.*下一步")),
)
ATTACHMENT = re.compile(r"^(附件[\s:：\d一]*.*案例|典型案例\s*$|附件[\s:：]*$)")
CASE = re.compile(rf"^(典型)?案例\s*[{_NUM}\d]+")
TOP_HEADING = re.compile(rf"^[{_NUM}]+[、.．]")
HINT = re.compile(r"^【.*】$", re.S)
BROKEN = (PackageNotFoundError, BadZipFile, XMLSyntaxError, KeyError, ValueError, EOFError, OSError)


@dataclass
class ReportFacts:
    title: str
    chars: int
    missing_sections: list[str]
    cases: int
    hints: int
    paragraphs: list[str] = field(default_factory=list, repr=False)


def _paragraph_texts(document: docx.document.Document) -> list[str]:
    body = document.element.body
    return [Paragraph(p, document).text for p in body.iter(qn("w:p"))]


def read_report(data: bytes) -> ReportFacts:
    """The facts of a report; raises ValueError (with a Chinese reason) when it cannot be read."""
    try:
        document = docx.Document(BytesIO(data))
        texts = [t.strip() for t in _paragraph_texts(document)]
    except BROKEN as exc:  # what python-docx, zipfile and lxml raise on a damaged package
        raise ValueError("文件内部结构损坏，无法按 Word 文档读取") from exc
    return facts_of(texts)


def facts_of(texts: list[str]) -> ReportFacts:
    texts = [t for t in texts if t]
    split = next((n for n, t in enumerate(texts) if n > 0 and ATTACHMENT.match(t.replace(" ", ""))), len(texts))
    body, attachment = texts[:split], texts[split + 1 :]
    counted = [t for t in body if not HINT.match(t)]
    compact = [t.replace(" ", "").replace("\u3000", "") for t in counted]
    missing = [label for label, pattern in SECTION_PATTERNS if not any(pattern.match(t) for t in compact)]
    content = [t.replace(" ", "") for t in attachment if not HINT.match(t)]
    cases = sum(1 for t in content if CASE.match(t)) or sum(1 for t in content if TOP_HEADING.match(t))
    return ReportFacts(
        title=texts[0] if texts else "",
        chars=sum(count_chars(t) for t in counted),
        missing_sections=missing,
        cases=cases,
        hints=sum(1 for t in texts if HINT.match(t)),
        paragraphs=texts,
    )
