"""The consultation records: intakes, cases, drafts, search, the case file and home.

``Records(session)`` (``repository.py``) is reached as ``session.records``; each of its
methods is one audited transaction and hands the connection to the module that knows
the tables:

- ``write.py``: one saved intake into the narrow tables (``Saved``);
- ``drafts.py``: the wizard's encrypted drafts (``Draft``, ``DraftInfo``);
- ``search.py``: the client search index, case and perpetrator search
  (``SearchHit``, ``PerpetratorHit``);
- ``case_file.py``: the case screen's read model (``CaseFile`` and its entries) and
  the case's stored intakes;
- ``consultation.py``: one consultation in full with the outcomes stored with it
  (``ConsultationRecord``), for its read-only view;
- ``lifecycle.py``: closing, reopening and follow-ups;
- ``home.py``: the home screen's lists (``HomeData``);
- ``stored.py``: how values are stored (dates, flags, JSON, the packed intake).
"""

from __future__ import annotations

from intake_app.store.errors import RecordNotFound
from intake_app.store.records.case_file import (
    CaseEvent,
    CaseFile,
    ConsultationEntry,
    DecisionEntry,
    FollowUp,
    ReferralEntry,
    RiskEntry,
    SupportMeasure,
)
from intake_app.store.records.consultation import ConsultationRecord
from intake_app.store.records.drafts import Draft, DraftInfo
from intake_app.store.records.home import HomeData, TodayItem
from intake_app.store.records.repository import Records, RecordsSession
from intake_app.store.records.search import PerpetratorHit, SearchHit
from intake_app.store.records.stored import pack_intake, unpack_intake
from intake_app.store.records.write import Saved

__all__ = [
    "CaseEvent",
    "CaseFile",
    "ConsultationEntry",
    "ConsultationRecord",
    "DecisionEntry",
    "Draft",
    "DraftInfo",
    "FollowUp",
    "HomeData",
    "PerpetratorHit",
    "RecordNotFound",
    "Records",
    "RecordsSession",
    "ReferralEntry",
    "RiskEntry",
    "Saved",
    "SearchHit",
    "SupportMeasure",
    "TodayItem",
    "pack_intake",
    "unpack_intake",
]
