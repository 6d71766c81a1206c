"""What the documents read from the municipality configuration.

The documents take the loaded ``Municipality`` (``intake_app.domain.municipality``)
and read only the few things below from it, so a city changes its papers by
editing its configuration file, not code.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from intake_app.documents.errors import DocumentError
from intake_app.domain.municipality import Court, Destination, Municipality


@dataclass(frozen=True)
class Sender:
    city: str
    name: str  # the support centre
    department: str  # the department that runs it (a neutral name for discreet papers)
    phone: str
    address: str
    hours: str
    head_title: str = ""  # the sender of official papers: センター長, 市民協働課長 …
    head_name: str = ""


def sender(municipality: Municipality) -> Sender:
    centre = municipality.centre
    return Sender(
        city=municipality.name,
        name=centre.name,
        department=centre.department,
        phone=centre.phone,
        address=centre.address,
        hours=centre.hours,
        head_title=centre.head_title,
        head_name=centre.head_name,
    )


def destinations(municipality: Municipality) -> list[Destination]:
    return list(municipality.destinations)


def destination(municipality: Municipality, destination_id: str) -> Destination:
    try:
        return municipality.destination(destination_id)
    except KeyError:
        raise DocumentError(f"連絡先「{destination_id}」が市区町村設定にありません") from None


def first_of_kind(municipality: Municipality, kinds: Sequence[str]) -> Destination | None:
    """The first destination of the first kind in ``kinds`` that the city has."""
    for kind in kinds:
        found = municipality.of_kind(kind)
        if found:
            return found[0]
    return None


def court(municipality: Municipality) -> Court | None:
    return municipality.protection_order_court
