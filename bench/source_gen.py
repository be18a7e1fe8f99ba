"""Deterministic, full-size ROR and CORDIS inputs generated from real record shapes.

The templates are the real extracts in ``shared/data/real`` (ROR schema-v2
records; CORDIS H2020 JSON rows). Copies get fresh ids and names, and the
hierarchy of each copy is remapped onto that copy, so both sides of every
relationship are present. CORDIS output is the bulk CSV layout (``;``,
every field quoted, multi-line objectives, comma or dot decimals, EL/UK).
Used by bench/ingest_bench.py and the crash-recovery test.
"""

from __future__ import annotations

import csv
import json
import random
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

__all__ = [
    "ORGANISATION_COLUMNS",
    "PROJECT_COLUMNS",
    "ror_id",
    "write_cordis_csv",
    "write_ror_dump",
    "write_ror_zip",
]

REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "real"
_CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz"

PROJECT_COLUMNS = (
    "id;acronym;status;title;startDate;endDate;totalCost;ecMaxContribution;legalBasis;topics;ecSignatureDate;"
    "frameworkProgramme;masterCall;subCall;fundingScheme;nature;objective;contentUpdateDate;rcn;grantDoi"
).split(";")
ORGANISATION_COLUMNS = (
    "projectID;projectAcronym;organisationID;vatNumber;name;shortName;SME;activityType;street;postCode;city;country;"
    "nutsCode;geolocation;organizationURL;contactForm;contentUpdateDate;rcn;order;role;ecContribution;"
    "netEcContribution;totalCost;endOfParticipation;active"
).split(";")


def ror_id(n: int) -> str:
    """A well-formed ROR id (``0`` + 6 base-32 digits + mod 97-10 check digits) for ``n``."""
    number, body = n % 32**6, ""
    for _ in range(6):
        n, r = divmod(n, 32)
        body = _CROCKFORD[r] + body
    check = 98 - (number * 100) % 97
    return f"0{body}{check:02d}"


def _ror_templates(real: Path = REAL) -> list[dict[str, Any]]:
    with (real / "ror" / "ror-records.subset.schema_v2.json").open(encoding="utf-8") as fh:
        return list(json.load(fh))


def ror_records(count: int, *, seed: int = 7, real: Path = REAL) -> Iterator[dict[str, Any]]:
    """``count`` schema-v2 records: copies of the real ones with remapped ids and names."""
    templates = _ror_templates(real)
    index = {t["id"]: i for i, t in enumerate(templates)}
    rng = random.Random(seed)
    for n in range(count):
        copy, i = divmod(n, len(templates))
        base = 1_000_000 + copy * len(templates)
        template = templates[i]
        record = dict(template)  # shallow: the fields below are replaced, the rest shared read-only
        record["id"] = f"https://ror.org/{ror_id(base + i)}"
        if copy:
            record["names"] = [
                n if "acronym" in n["types"] else {**n, "value": f"{n['value']} {copy}"} for n in template["names"]
            ]
        record["relationships"] = [
            {**rel, "id": f"https://ror.org/{ror_id(base + index[rel['id']])}"}
            for rel in template["relationships"]
            if rel["id"] in index and base + index[rel["id"]] < 1_000_000 + count
        ]
        if rng.random() < 0.02:
            record["status"] = "inactive"
        yield record


def write_ror_dump(path: Path, count: int, *, seed: int = 7, real: Path = REAL) -> Path:
    """A ROR dump JSON array, one record per line, like the release files."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        fh.write("[\n")
        for n, record in enumerate(ror_records(count, seed=seed, real=real)):
            fh.write(("" if n == 0 else ",\n") + json.dumps(record, ensure_ascii=False))
        fh.write("\n]")
    return path


def write_ror_zip(path: Path, count: int, *, tag: str = "v9.99-2026-01-01", seed: int = 7) -> Path:
    """A release zip: ``<tag>-ror-data_schema_v2.json`` plus a CSV member to be ignored."""
    dump = write_ror_dump(path.parent / f"{tag}-ror-data_schema_v2.json", count, seed=seed)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(dump, dump.name)
        zf.writestr(f"{tag}-ror-data.csv", "id,name\n")
    dump.unlink()
    return path


# -- CORDIS -------------------------------------------------------------------------


def _cordis_templates(real: Path = REAL) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    with (real / "cordis" / "project.subset.json").open(encoding="utf-8") as fh:
        projects = json.load(fh)
    with (real / "cordis" / "organization.subset.json").open(encoding="utf-8") as fh:
        orgs = json.load(fh)
    return projects, orgs


def _money(value: Any, rng: random.Random) -> str:
    if value in ("", None):
        return ""
    text = f"{float(value):.2f}" if rng.random() < 0.5 else str(value)
    return text.replace(".", ",") if rng.random() < 0.4 else text


def _csv_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _country(code: str, rng: random.Random) -> str:
    if code in ("GR", "EL"):
        return "EL"
    if code in ("GB", "UK"):
        return "UK"
    return "EL" if rng.random() < 0.02 else ("UK" if rng.random() < 0.03 else code)


def write_cordis_csv(folder: Path, projects: int, participations: int, *, seed: int = 11, real: Path = REAL) -> Path:
    """``project.csv`` and ``organization.csv`` under ``folder/csv/`` (H2020 layout)."""
    rng = random.Random(seed)
    p_templates, o_templates = _cordis_templates(real)
    out = folder / "csv"
    out.mkdir(parents=True, exist_ok=True)
    pics = max(1, participations // 5)
    with (out / "project.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\n")
        writer.writerow(PROJECT_COLUMNS)
        for n in range(projects):
            t = dict(p_templates[n % len(p_templates)])
            t.update(
                id=100_000 + n,
                acronym=f"{t['acronym']}{n}",
                totalCost=_money(t["totalCost"], rng),
                ecMaxContribution=_money(t["ecMaxContribution"], rng),
                grantDoi=f"10.3030/{100_000 + n}",
            )
            writer.writerow([_csv_value(t.get(c)) for c in PROJECT_COLUMNS])
    with (out / "organization.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\n")
        writer.writerow(ORGANISATION_COLUMNS)
        per_project = max(1, participations // max(1, projects))
        for n in range(participations):
            t = dict(o_templates[n % len(o_templates)])
            project = min(projects - 1, n // per_project)
            pic = 900_000_000 + int(pics * rng.random() ** 2)  # skewed: a few PICs in many projects
            t.update(
                projectID=100_000 + project,
                organisationID=pic,
                name=f"{t['name']} {pic % 100_000}",
                order=n % per_project + 1,
                role="coordinator" if n % per_project == 0 else t["role"],
                ecContribution=_money(t["ecContribution"], rng),
                country=_country(t["country"], rng),
            )
            writer.writerow([_csv_value(t.get(c)) for c in ORGANISATION_COLUMNS])
    return folder
