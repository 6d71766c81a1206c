"""Handing a case to another centre on removable media (no network, ever).

- ``centres``: this centre's receiving key pair and public card, the known centres
  (import after a fingerprint check, removal), all audited.
- ``packages``: ``send_case`` (one sealed, signed file; the vault keeps no copy),
  ``check_package`` / ``check_file`` (everything checked, nothing written),
  ``accept`` / ``decline``, the received history of a case, the case list.
- ``crypto``: libsodium's sealed box (PyNaCl) and Ed25519, nothing of our own.

File formats and the content's fields: ``domain.handoff_format`` and
``domain.handoff_content``.
"""

from intake_app.domain.handoff_format import HandoffError
from intake_app.store.handoff.centres import (
    ExportedCard,
    Identity,
    KnownCentre,
    check_card,
    ensure_identity,
    export_card,
    identity,
    import_card,
    known_centres,
    own_card,
    read_card_file,
    remove_centre,
)
from intake_app.store.handoff.packages import (
    Accepted,
    CaseStatus,
    CheckedPackage,
    Consent,
    ReceivedRecord,
    SentPackage,
    accept,
    check_file,
    check_package,
    decline,
    is_received,
    list_cases,
    parse_consent_at,
    read_package_file,
    received_record,
    received_seed,
    send_case,
)

__all__ = [
    "Accepted",
    "CaseStatus",
    "CheckedPackage",
    "Consent",
    "ExportedCard",
    "HandoffError",
    "Identity",
    "KnownCentre",
    "ReceivedRecord",
    "SentPackage",
    "accept",
    "check_card",
    "check_file",
    "check_package",
    "decline",
    "ensure_identity",
    "export_card",
    "identity",
    "import_card",
    "is_received",
    "known_centres",
    "list_cases",
    "own_card",
    "parse_consent_at",
    "read_card_file",
    "read_package_file",
    "received_record",
    "received_seed",
    "remove_centre",
    "send_case",
]
