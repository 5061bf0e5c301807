"""The procedure knowledge base: imported from the national procedure database, curated, searchable."""

from knowledge.base import KnowledgeBase, load
from knowledge.model import Channel, Document, Fee, LegalDoc, Procedure, TimeLimit

__all__ = [
    "Channel",
    "Document",
    "Fee",
    "KnowledgeBase",
    "LegalDoc",
    "Procedure",
    "TimeLimit",
    "load",
]
