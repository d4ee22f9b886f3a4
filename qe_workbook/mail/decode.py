"""Reading Chinese mail as clients really write it.

Subjects and names come as RFC 2047 encoded words (often GBK/GB2312, sometimes inside quotes
where the standard does not allow them), as RFC 2231 parameters (sometimes labelled with the
wrong charset), or as raw 8-bit GBK with no label at all. Everything here turns such bytes into
text without raising: GB2312 and GBK are read as GB18030 (their superset), an unlabelled or
mislabelled byte string is tried as UTF-8, then GB18030.
"""

from __future__ import annotations

import re
from datetime import datetime
from email.header import Header, decode_header
from email.message import Message
from email.utils import collapse_rfc2231_value, getaddresses, parsedate_to_datetime

from ..file_names import decode_bytes
from ..visible import visible

ENCODED_WORD = re.compile(r"=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=")


def _raw_bytes(text: str) -> bytes | None:
    """The original bytes of a header the parser kept as surrogate escapes (raw 8-bit), if any."""
    if not any("\udc80" <= c <= "\udcff" for c in text):
        return None
    return text.encode("ascii", "surrogateescape")


def header_text(value: object) -> str:
    """A header as text: encoded words decoded (also inside quotes), raw 8-bit GBK recovered."""
    if value is None:
        return ""
    if isinstance(value, Header):  # the parser's wrapper for a header holding raw 8-bit bytes
        value = "".join(decode_bytes(b, None if c in (None, "unknown-8bit") else c) if isinstance(b, bytes) else b
                        for b, c in decode_header(value))  # fmt: skip
    text = str(value)
    raw = _raw_bytes(text)
    if raw is not None:
        text = decode_bytes(raw)
    if ENCODED_WORD.search(text):
        text = _decode_words(text)
    return visible(re.sub(r"\s+", " ", text).strip())


def _decode_words(text: str) -> str:
    """Encoded words decoded; adjacent words of one charset joined as bytes first (clients split
    long GBK subjects in the middle of a character); the blanks between adjacent words dropped
    (RFC 2047 6.2); a broken word kept as it came."""
    pieces: list[str] = []
    run: list[bytes] = []
    run_charset: str | None = None

    def flush() -> None:
        nonlocal run
        if run:
            pieces.append(decode_bytes(b"".join(run), run_charset))
        run = []

    last, previous_word = 0, False
    for match in ENCODED_WORD.finditer(text):
        between = text[last : match.start()]
        joined = previous_word and not between.strip()
        last, previous_word = match.end(), True
        try:
            chunk, charset = decode_header(match.group(0))[0]
        except Exception:  # a malformed word (bad base64, unknown encoding)
            chunk, charset = match.group(0), None
        if not (joined and isinstance(chunk, bytes) and charset == run_charset):
            flush()
            if not joined:
                pieces.append(between)
        if isinstance(chunk, bytes):
            run.append(chunk)
            run_charset = charset
        else:
            pieces.append(str(chunk))
    flush()
    pieces.append(text[last:])
    return "".join(pieces)


def raw_header(part: Message, name: str) -> str | None:
    """A header's text as it came, raw 8-bit bytes decoded (UTF-8, else GB18030, else marked
    with U+FFFD) instead of the parser's replacement marks."""
    for key, value in part.raw_items():
        if key.lower() == name:
            text = str(value)
            raw = _raw_bytes(text)
            return text if raw is None else decode_bytes(raw)
    return None


def attachment_name(part: Message) -> str | None:
    """The file name a part carries (Content-Disposition filename, else Content-Type name), decoded."""
    for param, header in (("filename", "content-disposition"), ("name", "content-type")):
        text = raw_header(part, header)
        if text is None:
            continue
        holder = Message()  # the parameters read from the decoded text, not from raw 8-bit bytes
        holder[header] = text
        value = holder.get_param(param, None, header)
        if value is None:
            continue
        if isinstance(value, tuple):  # RFC 2231: (charset, language, text as latin-1)
            charset, _lang, raw = value
            name = decode_bytes(raw.encode("latin-1", "replace"), charset or None)
        else:
            name = header_text(collapse_rfc2231_value(value))
        name = visible(name.strip().strip('"').strip())
        if name:
            return name
    return None


def address_of(message: Message) -> tuple[str, str]:
    """(display name, e-mail address) of the sender."""
    raw = message.get("From")
    pairs = getaddresses([header_text(raw)]) if raw else []
    if not pairs:
        return "", ""
    name, address = pairs[0]
    return name.strip(), address.strip().lower()


def sent_time(message: Message) -> datetime | None:
    """The message's own Date header (the sender's clock), when it parses and has a zone."""
    raw = message.get("Date")
    if not raw:
        return None
    try:
        moment = parsedate_to_datetime(str(raw))
    except (TypeError, ValueError, IndexError):
        return None
    return moment if moment.tzinfo is not None else None


def body_text(message: Message, limit: int = 300) -> str:
    """The first plain text (or HTML stripped of tags) of a message, for 'sent without the file'."""
    html = ""
    for part in message.walk():
        if part.is_multipart() or part.get_content_maintype() != "text" or attachment_name(part):
            continue
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes):
            continue
        text = decode_bytes(payload, part.get_content_charset())
        if part.get_content_subtype() == "plain":
            return _squeeze(text, limit)
        html = html or re.sub(r"<[^>]+>", " ", re.sub(r"(?is)<(style|script).*?</\1>", " ", text))
    return _squeeze(html.replace("&nbsp;", " "), limit)


def _squeeze(text: str, limit: int) -> str:
    return visible(re.sub(r"\s+", " ", text).strip()[:limit])
