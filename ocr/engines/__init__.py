"""OCR engines as plugins: ``create_engine(EngineConfig(name=...))``."""

from __future__ import annotations

from ocr.engines.api import (
    Engine,
    EngineConfig,
    available_engines,
    create_engine,
    register_engine,
)

__all__ = ["Engine", "EngineConfig", "available_engines", "create_engine", "register_engine"]
