"""The maintainers' command line: bring the knowledge base and the model up to date safely."""
