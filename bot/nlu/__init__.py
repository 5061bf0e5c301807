"""Rasa NLU components for Vietnamese: normaliser, tokenizer, procedure linker and pattern extractors."""
