"""What delivery needs from the rest of intake, as narrow interfaces (the cases service fits them)."""

from __future__ import annotations

from typing import Any, Protocol

from archive import Actor


class CaseLike(Protocol):
    """The few case attributes delivery reads."""

    @property
    def id(self) -> str: ...

    @property
    def owner_code(self) -> str: ...

    @property
    def state(self) -> str: ...

    @property
    def applicant_name(self) -> str: ...

    @property
    def contact_phone(self) -> str: ...


class CaseGateway(Protocol):
    """Reads a case (raising ``CaseNotFoundError``) and moves it (e.g. ``issued`` -> ``delivered``)."""

    def get(self, case_id: str) -> CaseLike: ...

    def transition(self, case_id: str, to_state: str, actor: Actor, reason: str) -> Any: ...

    def matter_of(self, case: Any) -> Any:
        """The case's matter (its ``department`` sends the parcels)."""
        ...


class IssuedDocuments(Protocol):
    """The archived document IDs a case issued (the signed e-licence first)."""

    def issued_document_ids(self, case_id: str) -> list[str]: ...
