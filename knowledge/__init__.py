"""The procedure knowledge base: imported from the national procedure database, curated, searchable."""

from knowledge.base import KnowledgeBase, load
from knowledge.model import Channel, Document, Fee, LegalDoc, Procedure, TimeLimit
from knowledge.province import Province, find_province, resolve_province
from knowledge.search import Hit, Ranking, search

__all__ = [
    "Channel",
    "Document",
    "Fee",
    "Hit",
    "KnowledgeBase",
    "LegalDoc",
    "Procedure",
    "Province",
    "Ranking",
    "TimeLimit",
    "find_province",
    "load",
    "resolve_province",
    "search",
]
