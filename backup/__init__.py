"""Backups of an installation: ``laksana backup create|verify|restore`` (a plug-in).

One tar.gz holds the engine store (with the documents kept in it), the instance's secret key and
local PKI, and a manifest with every member's SHA-256 and the store's Alembic revision.
"""
