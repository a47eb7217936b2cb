"""The matter catalog (事项目录): matters, their materials and form fields, loaded from YAML."""

from intake.matters.loader import Catalog, load_catalog
from intake.matters.model import (
    Deficiency,
    Department,
    FieldSource,
    FormField,
    Material,
    MaterialKind,
    Matter,
    Reuse,
    TimeLimits,
)

__all__ = [
    "Catalog",
    "load_catalog",
    "Deficiency",
    "Department",
    "FieldSource",
    "FormField",
    "Material",
    "MaterialKind",
    "Matter",
    "Reuse",
    "TimeLimits",
]
