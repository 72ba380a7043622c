"""The office's people data (role names, demo officials) and ``laksana seed-demo``."""
