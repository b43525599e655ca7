"""The document model: text with positions, a normalised form for matching, and the outline."""

from checker.model.document import Document, build_document

__all__ = ["Document", "build_document"]
