"""Where the shipped data files (matter YAML, licence and label layouts, doctypes) live."""

from __future__ import annotations

from pathlib import Path

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
"""``templates/`` at the project root: the default of every ``*_dir`` setting that names shipped data."""
