"""The Learn library: original articles about ketamine treatment, with their sources."""

from companion.content.articles import (
    ARTICLES,
    ARTICLES_BY_SLUG,
    NOT_MEDICAL_ADVICE,
    PHASES,
    SITUATIONS,
    STAGE_GROUPS,
    Article,
    Source,
    load_articles,
    reading_grade,
)

__all__ = [
    "ARTICLES",
    "ARTICLES_BY_SLUG",
    "NOT_MEDICAL_ADVICE",
    "PHASES",
    "SITUATIONS",
    "STAGE_GROUPS",
    "Article",
    "Source",
    "load_articles",
    "reading_grade",
]
