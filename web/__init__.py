"""Laksana's web application (Flask) and command line."""

from .app import create_app

__all__ = ["create_app"]
