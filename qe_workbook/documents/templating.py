"""Documents from Word templates: a .docx with Jinja2 fields and blocks inside (docxtpl), one per kind of document.

The package ships a template for each kind (templates/<name>.docx); an office keeps its own for the year in a
folder (the workspace's 文书模板/ by default), each file named as the bundled one it replaces. A kind declares the
fields the program gives its template (`DocumentKind.fields`, with a meaning and an example value in Chinese):
the program supplies data, the template holds the words.

A field the template names but the kind does not give, a broken `{% %}` block, a table loop whose row was
deleted, a file that is not a .docx: each is a `Problem` naming the template file and the text around the fault
(`TemplateBroken`). `check_templates` finds them before a set of documents is written, by rendering each template
with its kind's example values, so that a broken template stops the set before its first file.
"""

from __future__ import annotations

import functools
import io
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from docx import Document
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from docxtpl import DocxTemplate

from ..problems import Problem, os_error_text, problem
from ..visible import visible_in_document

TEMPLATES_DIR = "文书模板"  # the workspace's folder of the office's own templates
SUFFIX = ".docx"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # a Word 97-2003 (.doc) or WPS file
AROUND = 30  # characters shown on each side of a fault


@dataclass(frozen=True)
class Field:
    """A value the program gives a template: its name in the template, what it means, an example value. A list
    field (`items`) gives a list of records, each with those fields; its example is a list of such records."""

    name: str
    meaning: str
    example: Any
    items: tuple[Field, ...] = ()


@dataclass(frozen=True)
class DocumentKind:
    """A kind of document made from a template: its name (the template file is <name>.docx), what it is, the
    fields its template may use."""

    name: str
    meaning: str
    fields: tuple[Field, ...]

    @property
    def file_name(self) -> str:
        return self.name + SUFFIX

    def example(self) -> dict[str, Any]:
        """A context made of the fields' example values (what `check_templates` renders with)."""
        return {f.name: f.example for f in self.fields}


class TemplateBroken(Exception):
    """A template that cannot give its document: the problems found in it (codes TEMPLATE_*)."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__("；".join(p.message for p in problems))
        self.problems = list(problems)


def bundled_template(kind: DocumentKind) -> bytes:
    return (resources.files(__package__) / "templates" / kind.file_name).read_bytes()


def office_templates(folder: Path | None) -> Path | None:
    """`folder` when it is a folder holding at least one template, else None (the bundled templates are used)."""
    if folder is None or not folder.is_dir():
        return None
    return folder if any(p.suffix.lower() in (SUFFIX, ".doc", ".wps") for p in folder.iterdir()) else None


def templates_used(folder: Path | None, kinds: Iterable[DocumentKind]) -> Problem | None:
    """A note (TEMPLATES_USED) naming the office's templates in `folder` that replace bundled ones; None when none
    does."""
    if folder is None or office_templates(folder) is None:
        return None
    used = [path.name for path in (_office_file(folder, k) for k in kinds) if path is not None]
    return problem("TEMPLATES_USED", folder=str(folder), files=used) if used else None


def templates_note(folder: Path | None, kinds: Iterable[DocumentKind]) -> str | None:
    """The line a command that writes documents starts with when an office template replaces a bundled one."""
    used = templates_used(folder, kinds)
    return used.message if used else None


def _office_file(folder: Path, kind: DocumentKind) -> Path | None:
    """The office's file for `kind` in `folder`: <name>.docx, or a <name>.doc / .wps saved in the old format."""
    for suffix in (SUFFIX, ".doc", ".wps"):
        path = folder / (kind.name + suffix)
        if path.is_file():
            return path
    return None


@dataclass(frozen=True)
class _Source:
    """A template's bytes and the name problems give it."""

    data: bytes
    label: str


def _source(kind: DocumentKind, templates: Path | None) -> _Source:
    path = _office_file(templates, kind) if templates is not None else None
    if path is None:
        return _Source(bundled_template(kind), f"内置模板{kind.file_name}")
    label = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise TemplateBroken(
            [problem("TEMPLATE_NOT_DOCX", file=label, reason=f"无法读取（{os_error_text(exc)}）")]
        ) from exc
    if path.suffix.lower() != SUFFIX or data.startswith(OLE_MAGIC):
        reason = "是 Word 97-2003 或 WPS 格式（.doc/.wps）" if data.startswith(OLE_MAGIC) else "不是 .docx 文件"
        raise TemplateBroken([problem("TEMPLATE_NOT_DOCX", file=label, reason=reason)])
    if not _is_word(data):
        raise TemplateBroken([problem("TEMPLATE_NOT_DOCX", file=label, reason="文件内容不是 Word 文档")])
    return _Source(data, label)


def _is_word(data: bytes) -> bool:
    """A package whose main part is a Word document (not a workbook or anything else renamed .docx)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            return "word/document.xml" in package.namelist() or b"wordprocessingml.document.main" in package.read(
                "[Content_Types].xml"
            )
    except (zipfile.BadZipFile, KeyError, OSError):
        return False


class _Environment(jinja2.Environment):
    """Jinja2 as the templates use it: a field the context lacks is an error, values are escaped for the XML,
    and a template's text, once compiled, is kept (the same template gives many documents)."""

    def __init__(self) -> None:
        super().__init__(undefined=jinja2.StrictUndefined, autoescape=True)
        self._compiled: dict[str, jinja2.Template] = {}

    def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> jinja2.Template:
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        compiled = self._compiled.get(source)
        if compiled is None:
            if len(self._compiled) > 64:
                self._compiled.clear()
            compiled = self._compiled[source] = super().from_string(source)
        return compiled


@functools.cache
def _environment() -> _Environment:
    return _Environment()


_LISTING = re.compile("[\t\n\x07\x0c]")  # what docxtpl's resolve_listing turns into tabs, breaks, paragraphs, pages


@functools.lru_cache(maxsize=64)
def _patched(xml: str) -> str:
    return DocxTemplate.patch_xml(_PATCHER, xml)


class _DocxTemplate(DocxTemplate):
    """docxtpl's template, its two costly text passes made once where the answer cannot differ: a part's XML is
    prepared for Jinja2 once per XML text (the same template's parts are the same text on every render), and the
    rendered XML is scanned for tabs and breaks only when it holds one (a value with a line break, say)."""

    def patch_xml(self, src_xml: str) -> str:
        return _patched(src_xml)

    def resolve_listing(self, xml: str) -> str:
        return super().resolve_listing(xml) if _LISTING.search(xml) else xml


_PATCHER = DocxTemplate(io.BytesIO())  # patch_xml reads nothing of its template


def render(kind: DocumentKind, context: Mapping[str, Any], templates: Path | None = None) -> bytes:
    """The document of `kind` filled with `context`, as .docx bytes: from the office's template in `templates`
    when it has one, else the bundled one. Raises `TemplateBroken`."""
    source = _source(kind, templates)
    return _render(source, _shown(dict(context)))


def _render(source: _Source, context: dict[str, Any]) -> bytes:
    template = _DocxTemplate(io.BytesIO(source.data))
    try:
        template.render(context, _environment(), autoescape=True)
    except jinja2.TemplateSyntaxError as exc:  # a table loop or a block across paragraphs is named more precisely
        raise TemplateBroken(_block_problems(source) or [_syntax_problem(source, exc)]) from exc
    except jinja2.UndefinedError as exc:
        raise TemplateBroken([_undefined_problem(source, exc)]) from exc
    except (jinja2.TemplateError, TypeError, ValueError, AttributeError, ArithmeticError) as exc:
        name = _failed_name(exc)
        around = _text_around(source, name) if name else name
        where = f"，位置：“{around}”" if around != name else ""
        reason = f"模板中的写法无法执行（如对文字做算术、比较不同种类的值）{where}"
        raise TemplateBroken([problem("TEMPLATE_FAILED", file=source.label, reason=reason)]) from exc
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()


def _shown(value: Any) -> Any:
    """The context as a document shows it: every text with its control characters as pictures, a line break in
    any form (CR LF, CR, LF) as LF, which the document shows as a line break."""
    if isinstance(value, str):
        return visible_in_document(value.replace("\r\n", "\n").replace("\r", "\n"))
    if isinstance(value, Mapping):
        return {k: _shown(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_shown(v) for v in value]
    return value


def check_templates(kinds: Iterable[DocumentKind], templates: Path | None) -> list[Problem]:
    """The problems of each kind's template (the office's in `templates`, else the bundled one): blocks, table
    loops, then a render with the kind's example values (a field it does not give, a broken block)."""
    found: list[Problem] = []
    for kind in kinds:
        try:
            source = _source(kind, templates)
            blocks = _block_problems(source)
            if blocks:
                raise TemplateBroken(blocks)
            unknown = _unknown_fields(source, kind)
            if unknown:
                raise TemplateBroken(unknown)
            _render(source, _shown(kind.example()))
        except TemplateBroken as exc:
            found += exc.problems
    return found


def require_templates(kinds: Iterable[DocumentKind], templates: Path | None) -> None:
    """Raise `TemplateBroken` with every problem of these kinds' templates; nothing when all are sound."""
    found = check_templates(kinds, templates)
    if found:
        raise TemplateBroken(found)


# Finding the fault in the template's own text ------------------------------------------------------------------

_TAG = re.compile(r"\{%-?\s*(tr|tc|p|r)?\s*(for|endfor|if|endif)\b[^%]*%\}")
_FIELD = re.compile(r"\{\{(?:(?!\}\}).)*\}\}|\{%(?:(?!%\}).)*%\}")


def _paragraphs(source: _Source) -> list[tuple[str, str]]:
    """(where, text) of every paragraph of the template: the body's, each table cell's (where names the table)
    and the headers' and footers'."""
    document = Document(io.BytesIO(source.data))
    found: list[tuple[str, str]] = []
    body = document.element.body
    for n, table in enumerate(body.iter(qn("w:tbl")), start=1):
        for paragraph in table.iter(qn("w:p")):
            found.append((f"表格{n}", Paragraph(paragraph, document).text))
    for paragraph in body.iter(qn("w:p")):
        if not any(a.tag == qn("w:tbl") for a in paragraph.iterancestors()):
            found.append(("正文", Paragraph(paragraph, document).text))
    for section in document.sections:
        for part in (section.header, section.footer, section.even_page_header, section.even_page_footer):
            found += [("页眉页脚", p.text) for p in part.paragraphs]
    return found


def _around(text: str, start: int, end: int) -> str:
    """The text around [start, end) of `text`, cut to AROUND characters on each side."""
    before = text[max(0, start - AROUND) : start]
    after = text[end : end + AROUND]
    return (
        ("…" if start > AROUND else "") + before + text[start:end] + after + ("…" if end + AROUND < len(text) else "")
    )


def _block_problems(source: _Source) -> list[Problem]:
    """A table loop ({%tr for %}) whose closing row ({%tr endfor %}) is gone, or the other way round; an
    opening {% for %}/{% if %} inside a paragraph that is not closed in that paragraph (its closing tag belongs
    there, or the block takes whole paragraphs: {%p …%}, or rows: {%tr …%})."""
    found: list[Problem] = []
    paragraphs = _paragraphs(source)
    tables: dict[str, list[tuple[str, str]]] = {}
    for where, text in paragraphs:
        depth: list[tuple[str, str]] = []
        for match in _TAG.finditer(text):
            level, word = match.group(1) or "", match.group(2)
            if level == "tr":
                tables.setdefault(where, []).append((word, _around(text, match.start(), match.end())))
            elif level == "":
                if word in ("for", "if"):
                    depth.append((word, _around(text, match.start(), match.end())))
                elif depth and depth[-1][0] == word[3:]:
                    depth.pop()
                else:
                    found.append(problem("TEMPLATE_BLOCK_BROKEN", file=source.label, around=_around(
                        text, match.start(), match.end()), reason=f"“{{% {word} %}}”前没有对应的开始"))  # fmt: skip
        for word, around in depth:
            found.append(problem("TEMPLATE_BLOCK_BROKEN", file=source.label, around=around,
                                 reason=f"“{{% {word} %}}”在同一段落中没有对应的“{{% end{word} %}}”"))  # fmt: skip
    for tags in tables.values():
        opened: list[tuple[str, str]] = []
        for word, around in tags:
            if word in ("for", "if"):
                opened.append((word, around))
            elif opened and opened[-1][0] == word[3:]:
                opened.pop()
            else:
                found.append(problem("TEMPLATE_TABLE_LOOP", file=source.label, around=around,
                                     reason=f"表格中“{{%tr {word} %}}”所在行前没有对应的开始行"))  # fmt: skip
        for word, around in opened:
            found.append(problem("TEMPLATE_TABLE_LOOP", file=source.label, around=around,
                                 reason=f"表格中“{{%tr {word} %}}”之后没有“{{%tr end{word} %}}”所在的行"))  # fmt: skip
    return found


def _unknown_fields(source: _Source, kind: DocumentKind) -> list[Problem]:
    """A top-level name the template uses that the kind does not give (a misspelt or invented field)."""
    try:
        names = DocxTemplate(io.BytesIO(source.data)).get_undeclared_template_variables(_environment())
    except jinja2.TemplateSyntaxError as exc:
        return [_syntax_problem(source, exc)]
    known = {f.name for f in kind.fields} | set(_environment().globals)
    return [
        problem("TEMPLATE_UNKNOWN_FIELD", file=source.label, field=name, around=_text_around(source, name))
        for name in sorted(names - known)
    ]


def _text_around(source: _Source, name: str) -> str:
    """The text around the first field or block of the template that names `name`."""
    word = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)")
    for _, text in _paragraphs(source):
        for match in _FIELD.finditer(text):
            if word.search(match.group()):
                return _around(text, match.start(), match.end())
    return name


def _syntax_problem(source: _Source, exc: jinja2.TemplateSyntaxError) -> Problem:
    lines = [line.strip() for line in getattr(exc, "docx_context", None) or () if line.strip()]
    around = "…".join(lines)[: 2 * AROUND + 20] if lines else ""
    return problem("TEMPLATE_BLOCK_BROKEN", file=source.label, around=around, reason=_syntax_reason(exc))


def _syntax_reason(exc: jinja2.TemplateSyntaxError) -> str:
    """Jinja2's message in Chinese, for the faults an edit in Word makes."""
    message = exc.message or ""
    tag = re.search(r"tag '(\w+)'", message)
    if "Unexpected end of template" in message:
        wanted = re.findall(r"'(end\w+)'", message)
        return f"块没有结束（缺少“{{% {wanted[0] if wanted else 'end…'} %}}”）"
    if "Encountered unknown tag" in message and tag:
        return f"“{{% {tag.group(1)} %}}”前没有对应的开始，或不是可用的块"
    if "expected token" in message or "unexpected" in message:
        return "块或字段的写法有误（括号、引号或运算符不完整）"
    return "块或字段的写法有误"


def _failed_name(exc: Exception) -> str:
    """A name quoted in a failure's message (the value or filter at fault), else the empty text."""
    quoted = re.search(r"'([^']+)'", str(exc))
    return quoted.group(1) if quoted else ""


def _undefined_problem(source: _Source, exc: jinja2.UndefinedError) -> Problem:
    message = exc.message or ""
    name = re.search(r"has no attribute '([^']+)'", message) or re.search(r"'([^']+)' is undefined", message)
    field = name.group(1) if name else message
    return problem("TEMPLATE_UNKNOWN_FIELD", file=source.label, field=field, around=_text_around(source, field))
