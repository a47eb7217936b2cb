"""What a matter (事项) is: its department, time limits, form fields and materials (材料).

These are the validated, immutable shapes of ``templates/matters/*.yaml``. Unknown keys are
refused (``extra="forbid"``) so a typo'd key is a load error, never a silently ignored setting.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = [
    "Department",
    "TimeLimits",
    "Deficiency",
    "Reuse",
    "Material",
    "FieldSource",
    "FormField",
    "Matter",
    "MaterialKind",
]

MaterialKind = Literal["main", "secondary"]
FieldType = Literal["text", "uscc", "id_card", "date", "phone", "number"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Department(_Strict):
    """The department that handles the matter; ``short`` prefixes notice numbers (e.g. 温市监)."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str
    short: str
    phone: str = ""
    address: str = ""
    authority_code: str | None = None
    """USCC of the issuing authority (发证机关) that signs for this department; default: the
    configured authority of the same name."""


class TimeLimits(_Strict):
    """Statutory (法定) and committed (承诺) time limits in working days."""

    statutory_days: int = Field(ge=0)
    committed_days: int = Field(ge=0)

    @model_validator(mode="after")
    def _committed_within_statutory(self) -> "TimeLimits":
        if self.committed_days > self.statutory_days:
            raise ValueError("committed_days must not exceed statutory_days")
        return self


class Deficiency(_Strict):
    """容缺受理 rules: whether allowed, default supplement period, how and what if missed."""

    allowed: bool = True
    supplement_days: int = Field(default=5, ge=1)
    methods: tuple[str, ...] = ("窗口现场提交", "邮寄", "网上提交")
    consequence: str = "逾期未补齐的，视为申请人撤回申请，已作出的审批决定予以撤销，相关材料退回申请人。"


class Reuse(_Strict):
    """Whether an archived document may satisfy the material (一证通办), and for how long.

    ``until_expiry``: valid while the document's own expiry date (read from its OCR fields) lies
    ahead. ``max_age_days``: valid for that many days after it was archived. Both may apply.
    """

    allowed: bool = False
    until_expiry: bool = False
    max_age_days: int | None = Field(default=None, ge=1)

    @model_validator(mode="after")
    def _needs_a_rule(self) -> "Reuse":
        if self.allowed and not self.until_expiry and self.max_age_days is None:
            raise ValueError("reuse.allowed needs until_expiry or max_age_days")
        return self


class Material(_Strict):
    """One material of a matter's checklist."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str
    kind: MaterialKind
    doc_types: tuple[str, ...] = Field(min_length=1)
    standard: str
    reuse: Reuse = Reuse()
    person: Literal["legal_rep", "quality_lead", "agent"] | None = None
    """The material stands for a person (an ID card of that role): only that person's card fits."""
    max_age_days: int | None = Field(default=None, ge=1)
    """A document older than this (archived that many days ago) is flagged by the checks."""
    # filled in for composite matters: which component matters ask for this material
    used_by: tuple[str, ...] = ()


class FieldSource(_Strict):
    """Where a form value may come from: a field of a document type, the case, or the clerk."""

    doc_type: str | None = None
    field: str | None = None
    case: Literal["owner_code", "applicant_name", "contact_phone"] | None = None
    clerk: bool = False
    material: str | None = None
    """With ``doc_type``: only the document attached to this material gives the value (the legal
    representative's name comes from *their* ID card, never from whichever card was read last)."""

    @model_validator(mode="after")
    def _exactly_one(self) -> "FieldSource":
        chosen = [self.doc_type is not None, self.case is not None, self.clerk]
        if sum(chosen) != 1:
            raise ValueError("a source is exactly one of: doc_type+field, case, clerk")
        if (self.doc_type is None) != (self.field is None):
            raise ValueError("doc_type and field go together")
        if self.material is not None and self.doc_type is None:
            raise ValueError("material goes with doc_type+field")
        return self


class FormField(_Strict):
    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str
    type: FieldType = "text"
    required: bool = False
    sources: tuple[FieldSource, ...] = (FieldSource(clerk=True),)


class Matter(_Strict):
    """A matter (事项), simple or composite (一件事)."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str
    department: Department
    legal_basis: str
    time_limits: TimeLimits
    immediate: bool = False
    citywide: bool = False
    """全城通办: centres the citywide policy names may accept and work its cases, not only the opener's."""
    deficiency: Deficiency = Deficiency()
    fields: tuple[FormField, ...] = ()
    materials: tuple[Material, ...] = ()
    materials_before: int | None = Field(default=None, ge=0)
    licence_type: str | None = Field(default=None, pattern=r"^[a-z0-9_]+$")
    """The licence template (``templates/licences/<id>.yaml``) an approved case is issued; None: no licence."""
    # composite matters: the component matter ids; materials/fields are merged from them
    composite: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _sources_name_materials(self) -> "Matter":
        ids = {m.id for m in self.materials}
        for form_field in self.fields:
            for source in form_field.sources:
                if source.material is not None and not self.composite and source.material not in ids:
                    raise ValueError(f"field '{form_field.name}': source material '{source.material}' is not a material")
        return self

    def material(self, material_id: str) -> Material | None:
        return next((m for m in self.materials if m.id == material_id), None)

    def field(self, name: str) -> FormField | None:
        return next((f for f in self.fields if f.name == name), None)

    @property
    def main_materials(self) -> tuple[Material, ...]:
        return tuple(m for m in self.materials if m.kind == "main")

    @property
    def secondary_materials(self) -> tuple[Material, ...]:
        return tuple(m for m in self.materials if m.kind == "secondary")

    @property
    def material_reduction(self) -> float | None:
        """材料瘦身率: 1 − materials now / materials before (None when 'before' is unknown)."""
        if not self.materials_before:
            return None
        return 1 - len(self.materials) / self.materials_before

    @property
    def time_compression(self) -> float | None:
        """时限压缩率: 1 − committed / statutory."""
        if not self.time_limits.statutory_days:
            return None
        return 1 - self.time_limits.committed_days / self.time_limits.statutory_days
