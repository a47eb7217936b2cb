"""People a case names for a role (法定代表人, 质量负责人, 代理人) and whether an ID card is theirs.

Pure functions. A material that stands for a person (``person:`` in the matter's YAML) may only be
satisfied by — and only reuse — an ID card whose name and number match the person the case names
for that role: from the form (the clerk typed or confirmed it), else, for the legal representative,
from the business licence's 法定代表人. Only a name known → exactly one person of that name among
the cards (cards of two people with the same name are ambiguous: the clerk is asked).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

__all__ = ["PersonRole", "RoleSpec", "ROLES", "Person", "Card", "CardChoice", "person_for_role", "card_fits",
           "choose_card", "card_of", "same_name"]

PersonRole = Literal["legal_rep", "quality_lead", "agent"]


@dataclass(frozen=True)
class RoleSpec:
    label_zh: str
    name_field: str
    """The form field holding the person's name."""
    id_field: str
    """The form field holding the person's ID number."""
    licence_field: str | None
    """The business licence's OCR field naming the person, if any."""


ROLES: dict[str, RoleSpec] = {
    "legal_rep": RoleSpec("法定代表人", "legal_rep", "legal_rep_id", "法定代表人"),
    "quality_lead": RoleSpec("质量负责人", "quality_lead", "quality_lead_id", None),
    "agent": RoleSpec("代理人", "agent_name", "agent_id", None),
}


@dataclass(frozen=True)
class Person:
    name: str
    id_number: str | None = None
    source: str = "form"
    """Where the case names the person: ``form`` or ``licence``."""


@dataclass(frozen=True)
class Card:
    """An ID card as its OCR read it."""

    doc_id: str
    name: str
    id_number: str


@dataclass(frozen=True)
class CardChoice:
    doc_id: str | None
    reason: str | None
    """Why none was chosen: ``no_person_named`` | ``no_matching_card`` | ``ambiguous``."""
    message_zh: str = ""


def _fold(text: str | None) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def same_name(a: str | None, b: str | None) -> bool:
    return bool(_fold(a)) and _fold(a) == _fold(b)


def _same_number(a: str | None, b: str | None) -> bool:
    return bool(_fold(a)) and _fold(a).upper() == _fold(b).upper()


def person_for_role(role: str, form: Mapping[str, str | None], licence_fields: Mapping[str, str] | None) -> Person | None:
    """The person the case names for ``role``: the form's values first, else the business licence."""
    spec = ROLES[role]
    name, number = _fold(form.get(spec.name_field)), _fold(form.get(spec.id_field)) or None
    if name:
        return Person(name, number.upper() if number else None, "form")
    if spec.licence_field and licence_fields and _fold(licence_fields.get(spec.licence_field)):
        return Person(_fold(licence_fields[spec.licence_field]), number.upper() if number else None, "licence")
    if number:
        return Person("", number.upper(), "form")
    return None


def card_of(doc_id: str, fields: Mapping[str, str] | None) -> Card | None:
    """The card's name and number from its OCR field values (``{label: value}``), None if unread."""
    def value(label: str) -> str:
        return _fold(str((fields or {}).get(label) or ""))

    name, number = value("姓名"), value("公民身份号码").upper()
    return Card(doc_id, name, number) if (name or number) else None


def card_fits(person: Person, card: Card) -> bool:
    """Whether ``card`` is ``person``'s: the number when the case knows it (and the name), else the name."""
    if person.id_number:
        return _same_number(person.id_number, card.id_number) and (not person.name or same_name(person.name, card.name))
    return same_name(person.name, card.name)


def choose_card(role: str, person: Person | None, cards: Sequence[Card]) -> CardChoice:
    """The card (newest first in ``cards``) to use for ``role``; none when nobody or several fit."""
    label = ROLES[role].label_zh
    if person is None:
        return CardChoice(None, "no_person_named", f"本办件未载明{label}，请核对后再复用身份证")
    fitting = [c for c in cards if card_fits(person, c)]
    if not fitting:
        return CardChoice(None, "no_matching_card", f"档案中无{label}（{person.name or person.id_number}）的有效身份证")
    if not person.id_number and len({c.id_number for c in fitting}) > 1:
        return CardChoice(None, "ambiguous",
                          f"档案中有多名同名的{label}（{person.name}）身份证，请窗口人员确认")
    return CardChoice(fitting[0].doc_id, None)
