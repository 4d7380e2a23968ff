"""Who to credit for each source, and under what terms: written beside every export and in the
report. The licence and homepage come from the loaders' `Source` (one place); the attribution
line each publisher asks for is here."""

from __future__ import annotations

from dataclasses import dataclass

from loaders.registry import TABLES

# The line each publisher asks users to print with its data (from its README or licence).
ATTRIBUTION = {
    "nyt_covid": (
        "Data from The New York Times, based on reports from state and local health agencies. "
        "Licensed CC BY-NC 4.0: credit The New York Times; no commercial use."
    ),
    "jhu_csse": (
        "COVID-19 Data Repository by the Center for Systems Science and Engineering (CSSE) at "
        "Johns Hopkins University. Licensed CC BY 4.0."
    ),
    "oi_economic_tracker": (
        "Opportunity Insights Economic Tracker (https://tracktherecovery.org): cite Chetty, "
        "Friedman, Hendren, Stepner and the Opportunity Insights Team, 'The Economic Impacts "
        "of COVID-19: Evidence from a New Public Database Built Using Private Sector Data' "
        "(2020), and name each series' provider (Womply: revenue and merchants; Affinity "
        "Solutions: consumer spending)."
    ),
    "phac_canada": (
        "Public Health Agency of Canada, Health Infobase COVID-19 epidemiology update. "
        "Contains information licensed under the Open Government Licence - Canada."
    ),
    "hhs_hospital": (
        "US Department of Health and Human Services, 'COVID-19 Reported Patient Impact and "
        "Hospital Capacity by State Timeseries' (healthdata.gov)."
    ),
    "delaware_dhss": (
        "Delaware Division of Public Health, My Healthy Community "
        "(myhealthycommunity.dhss.delaware.gov), via the DE_COVID_small_business_project."
    ),
    "cps_covid": (
        "Chicago Public Schools case reports as compiled by cpscovid.com; school locations from "
        "the City of Chicago Data Portal."
    ),
}


@dataclass(frozen=True)
class Credit:
    source: str
    homepage: str
    licence: str
    attribution: str
    is_non_commercial: bool


def credits(sources: list[str] | tuple[str, ...] | None = None) -> list[Credit]:
    """The credit of each source named (every loaded source when None), in registry order."""
    seen = {}
    for spec in TABLES:
        seen.setdefault(spec.source.name, spec.source)
    names = [name for name in seen if sources is None or name in sources]
    return [
        Credit(
            source=name,
            homepage=seen[name].homepage,
            licence=seen[name].licence,
            attribution=ATTRIBUTION[name],
            is_non_commercial="BY-NC" in seen[name].licence,
        )
        for name in names
    ]


def credits_markdown(sources: list[str] | tuple[str, ...] | None = None) -> str:
    """A Markdown section: each source's licence, homepage and attribution line."""
    lines = ["## Sources, licences and attribution", ""]
    for credit in credits(sources):
        lines.append(f"- **{credit.source}** ({credit.homepage}), licence: {credit.licence}.")
        lines.append(f"  {credit.attribution}")
        if credit.is_non_commercial:
            lines.append("  Not for commercial use: this licence forbids it.")
    return "\n".join(lines) + "\n"
