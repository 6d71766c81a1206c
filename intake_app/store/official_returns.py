"""The official return (報告用集計, rules.md §10): the year's facts, read through indexes.

One fiscal year is read from ``consultations_official`` (every column the return counts,
plus the case) joined to ``cases_id_client`` (the client of each case), both covering
indexes of migration 0008: the wide consultation and case rows are never decrypted. The
一時保護 / 緊急一時避難 requests and the court's requests and notices are small tables
with their own year indexes. ``domain.statistics.official.official_return`` arranges the
facts into the categories of the settings.

Supervisor only, audited: ``official_return_view`` (object ``FY<year>``) for every look,
``official_return_export`` (object ``FY<year>:<csv|pdf>``) for every file written. Unlike
the public statistics (``store.stats``) nothing is suppressed.
"""

from __future__ import annotations

from intake_app.domain.municipality import DEFAULT_OFFICIAL_RETURNS
from intake_app.domain.statistics.official import (
    ConsultationFact,
    CourtCounts,
    OfficialReturn,
    ShelterFact,
    official_return,
)
from intake_app.store.connection import Connection
from intake_app.store.stats import StatsSession, municipality_of

VIEW_ACTION = "official_return_view"
EXPORT_ACTION = "official_return_export"

CONSULTATIONS_SQL = (
    "SELECT c.kind, c.gender, c.channel, c.age_group, c.main_complaint, c.report_source,"
    " c.shelter_recommendation, k.client_id"
    " FROM consultations AS c INDEXED BY consultations_official"
    " JOIN cases AS k INDEXED BY cases_id_client ON k.id = c.case_id"
    " WHERE c.fiscal_year = ?"
)
SHELTER_SQL = (
    "SELECT id, route, status, fiscal_year, entry_fiscal_year, persons, children"
    " FROM shelter_outcomes WHERE fiscal_year = ?"
    " UNION"
    " SELECT id, route, status, fiscal_year, entry_fiscal_year, persons, children"
    " FROM shelter_outcomes WHERE entry_fiscal_year = ?"
)
COURT_SQL = (
    "SELECT (SELECT count(*) FROM court_requests WHERE fiscal_year = ?),"
    " (SELECT count(*) FROM court_requests WHERE sent_fiscal_year = ?),"
    " (SELECT count(*) FROM court_orders WHERE fiscal_year = ?)"
)


def consultation_facts(conn: Connection, fiscal_year: int) -> list[ConsultationFact]:
    return [
        ConsultationFact(
            kind=r[0],
            gender=r[1],
            channel=r[2],
            age_group=r[3],
            main_complaint=r[4],
            report_source=r[5],
            shelter_recommendation=r[6],
            client_id=int(r[7]),
        )
        for r in conn.execute(CONSULTATIONS_SQL, (fiscal_year,)).fetchall()
    ]


def shelter_facts(conn: Connection, fiscal_year: int) -> list[ShelterFact]:
    return [
        ShelterFact(
            route=r[1],
            status=r[2],
            requested_in_year=r[3] == fiscal_year,
            entered_in_year=r[4] == fiscal_year,
            persons=int(r[5]),
            children=int(r[6]),
        )
        for r in conn.execute(SHELTER_SQL, (fiscal_year, fiscal_year)).fetchall()
    ]


def court_counts(conn: Connection, fiscal_year: int) -> CourtCounts:
    row = conn.execute(COURT_SQL, (fiscal_year,) * 3).fetchone()
    return CourtCounts(int(row[0]), int(row[1]), int(row[2]))


def year_return(conn: Connection, fiscal_year: int, session: StatsSession) -> OfficialReturn:
    """The return of ``fiscal_year`` in the categories of the session's settings."""
    municipality = municipality_of(session)
    categories = (
        municipality.official_returns if municipality is not None else DEFAULT_OFFICIAL_RETURNS
    )
    return official_return(
        fiscal_year,
        consultation_facts(conn, fiscal_year),
        shelter_facts(conn, fiscal_year),
        court_counts(conn, fiscal_year),
        categories,
    )


class Returns:
    """Supervisor-only, audited reads of the official return (``official_return``)."""

    def __init__(self, session: StatsSession) -> None:
        self._session = session

    def year(self, fiscal_year: int) -> OfficialReturn:
        """Every count of ``fiscal_year``, exact (audited ``official_return_view``)."""
        self._session.require_supervisor()
        with self._session.read(VIEW_ACTION, f"FY{fiscal_year}") as conn:
            return year_return(conn, fiscal_year, self._session)

    def record_export(self, fiscal_year: int, fmt: str) -> None:
        """The audit entry of a file written: the year and the format, never a count."""
        self._session.require_supervisor()
        self._session.audit(EXPORT_ACTION, f"FY{fiscal_year}:{fmt}", detail="exact")

    def centre_name(self) -> str:
        municipality = municipality_of(self._session)
        return municipality.centre.name if municipality is not None else ""
