"""Fixtures of the project-wide tests: the personas are in the root conftest.py."""
