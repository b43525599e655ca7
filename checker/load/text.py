"""Plain text: detect the encoding and decode, or refuse with a reason.

Order of evidence: a byte-order mark; strict UTF-8; UTF-16 without BOM (NUL-byte pattern);
then charset-normalizer, whose guess is accepted only if the decoded text reads as Chinese
or plain text. A guess that does not is refused rather than returned as mojibake.
"""

from __future__ import annotations

import codecs
import re

from checker.errors import InputError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Counted with regexes (C speed): CJK ideographs and CJK/full-width punctuation; control
# characters other than \t \n \v \f \r, plus the replacement character.
_CJK = re.compile("[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]")
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\ufffd]")


def _cjk_ratio(text: str) -> float:
    if not text:
        return 0.0
    sample = text[:4000]
    return len(_CJK.findall(sample)) / len(sample)


# The ASCII characters of _CONTROL, as bytes.
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x20)])


def _control_ratio(text: str) -> float:
    """Share of `_CONTROL` characters in the first 4,000 characters.

    Counted without the regex (a character-class scan costs ~60 CPU instructions per character):
    the ASCII ones among the sample's ASCII characters (encoding skips the others in C), plus the
    replacement characters; the same count as ``len(_CONTROL.findall(sample))``."""
    sample = text[:4000]
    if not sample:
        return 0.0
    ascii_part = sample.encode("ascii", "ignore")
    controls = len(ascii_part) - len(ascii_part.translate(None, _CONTROL_BYTES)) + sample.count("\ufffd")
    return controls / len(sample)


def _utf16_without_bom(data: bytes) -> str | None:
    head = data[:4000]
    if len(head) < 4:
        return None
    even_nuls = head[0::2].count(0)
    odd_nuls = head[1::2].count(0)
    half = len(head) / 2
    # ASCII-heavy UTF-16 has NULs in every other byte; CJK-heavy UTF-16 rarely decodes as
    # valid GB18030 or UTF-8, so it is caught by the fallback below.
    if odd_nuls > 0.3 * half and even_nuls < 0.05 * half:
        codec = "utf-16-le"
    elif even_nuls > 0.3 * half and odd_nuls < 0.05 * half:
        codec = "utf-16-be"
    else:
        return None
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def _finish(path: str, text: str, encoding: str) -> tuple[str, str]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text or text.isspace():
        raise InputError(path, "文件没有文字内容")
    if _control_ratio(text) > 0.05:
        raise InputError(path, "看起来是二进制文件，不是文本")
    return text, encoding


def decode_text(path: str, data: bytes) -> tuple[str, str]:
    """Return (text with \\n newlines, encoding name) or raise InputError."""
    if not data:
        raise InputError(path, "文件为空")
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return _finish(path, data.decode(codec), codec)
            except UnicodeDecodeError:
                raise InputError(path, f"文件以 {codec} 标记开头，但内容无法按该编码解码") from None
    try:
        return _finish(path, data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as exc:
        # A file cut mid-character (common in saved excerpts) is still UTF-8.
        if exc.start >= len(data) - 3 and exc.reason == "unexpected end of data":
            return _finish(path, data[: exc.start].decode("utf-8"), "utf-8")
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return _finish(path, utf16, "utf-16")
    if b"\x00" in data[:8000]:
        raise InputError(path, "看起来是二进制文件，不是文本")
    # Chinese legacy encodings: GB18030 is a superset of GBK and GB2312.
    try:
        text = data.decode("gb18030")
        if _cjk_ratio(text) > 0.2:
            return _finish(path, text, "gb18030")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None:
        text = str(best)
        if _cjk_ratio(text) > 0.2 or (best.encoding in ("ascii", "utf_8") and _control_ratio(text) < 0.01):
            return _finish(path, text, best.encoding)
    raise InputError(path, "无法识别文件编码（不是 UTF-8、GB18030/GBK 或 UTF-16 文本）")
