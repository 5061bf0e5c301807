"""Custom actions: answers from the knowledge base, fallback, and the status and handoff answers."""
