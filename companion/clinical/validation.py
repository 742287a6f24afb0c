"""The error every validator in the clinical core raises: which field, and what to tell the
patient beside it."""

from __future__ import annotations


class ValidationError(ValueError):
    """Bad input for one field, with a message fit to show the patient beside that field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


# The largest id a row can have (PostgreSQL's INTEGER; SQLite's is larger): anything past it
# is no row's, and would make the driver fail rather than find nothing.
ROW_ID_MAX = 2**31 - 1


def row_id(value: object, *, text: bool = False) -> int | None:
    """A row id as a client sent it: a whole number 1..ROW_ID_MAX (with text=True also its
    digits, as a form field sends it); None for anything else (never a bool or a float)."""
    if text and isinstance(value, str) and value.isascii() and value.isdigit() and len(value) < 12:
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value <= ROW_ID_MAX:
        return value
    return None


def unreadable(text: str) -> bool:
    """True for text no database should be handed: NUL or other control characters (tabs and
    line breaks are fine) and lone surrogates (halves of an emoji, which are not UTF-8)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return any((ord(ch) < 0x20 and ch not in "\t\n\r") or ord(ch) == 0x7F for ch in text)


def plain_text(value: object, field: str, label: str, limit: int) -> str:
    """value as stripped text of at most `limit` characters ("" for None), else a clear
    ValidationError naming the field."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationError(field, f"{label} must be text.")
    if unreadable(value):
        raise ValidationError(
            field, f"{label} has characters that can't be saved. Please type it again."
        )
    text = value.strip()
    if len(text) > limit:
        raise ValidationError(field, f"{label} can be at most {limit:,} characters.")
    return text
