"""The demo's people and its city-wide public credit record (issue 14).

Split from :mod:`platform_server.demo` along the domain: who runs the demo entities (法定代表人
with a masked ID, some 主要负责人, a person who recurs so a lookup finds several entities), and
the commitments the districts' halls took from them, some broken, projected into
``credit_entries`` by the shared rule exactly as a push would.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from desktop_app.domain import credit_record, person_id
from platform_server.records import Scope
from sync.protocol import Collection

PERSON_REPEAT = 97
"""Every 97th entity is run by the legal representative of the entity 97 before it, so a
person lookup finds several entities and the 相关责任人 rule has someone to reach."""


def demo_id_number(code: str, region: str, salt: str) -> str:
    """A valid (check character and birth date) identity number, deterministic per entity."""
    digest = hashlib.sha256(f"{code}|{salt}".encode()).digest()
    born = date(1955, 1, 1) + timedelta(days=int.from_bytes(digest[:4], "big") % 17000)
    sequence = int.from_bytes(digest[4:6], "big") % 1000
    first17 = f"{region}{born:%Y%m%d}{sequence:03d}"
    return first17 + person_id.check_character(first17)


def demo_persons(
    code: str,
    region: str,
    legal: str,
    index: int,
    people: list[tuple[str, str]],
    names: tuple[Sequence[str], str],
) -> dict[str, str]:
    """法定代表人 with a masked ID; about one in three entities also a 主要负责人."""
    if index >= PERSON_REPEAT and index % PERSON_REPEAT == 0:
        legal, masked = people[index - PERSON_REPEAT]
    else:
        masked = person_id.mask_id_number(demo_id_number(code, region, "legal"))
    people.append((legal, masked))
    out = {"legal_representative": legal, "legal_representative_id": masked}
    digest = hashlib.sha256(code.encode()).digest()
    if digest[0] % 3 == 0:
        surnames, given = names
        principal = surnames[digest[1] % len(surnames)] + given[digest[2] % len(given)]
        out["principal"] = principal
        out["principal_id"] = person_id.mask_id_number(demo_id_number(code, region, "principal"))
    return out


DEMO_MATTERS = (
    ("食品经营许可", "长治市行政审批服务管理局"),
    ("建设工程消防验收", "长治市住房和城乡建设局"),
    ("纳税信用补评", "国家税务总局长治市税务局"),
    ("排污许可登记", "长治市生态环境局"),
)


def demo_commitments(
    index: int,
    entity: dict[str, Any],
    forms: dict[str, list[tuple[str, dict[str, Any], Scope]]],
    entries: list[tuple[str, dict[str, Any], Scope]],
    hall_codes: Sequence[str],
) -> None:
    """Commitments signed at the districts' halls, some broken, for the city-wide record.

    Every 25th entity signed one at some district's hall; every 5th of those broke it (a 失信记录
    made there): the city-wide record shows them at every other hall.
    """
    if index % 25 != 7:
        return
    uscc = entity["uscc"]
    code = hall_codes[(index // 25) % len(hall_codes)]
    hall = Scope(hall_id=f"hall-{code}", region_code=code, entity_uscc=uscc)
    matter, authority = DEMO_MATTERS[(index // 25) % len(DEMO_MATTERS)]
    signed = date(2026, 1, 5) + timedelta(days=(index * 7) % 300)
    breached = (index // 25) % 5 == 0
    form_id = f"demo-cm-{uscc}"
    fields: dict[str, Any] = {
        "uscc": uscc,
        "entity_name": entity["name"],
        "kind": "notify",
        "matter": matter,
        "authority": authority,
        "signed_on": signed.isoformat(),
        "status": "breached" if breached else ("fulfilled" if index % 2 else "signed"),
        "publish": True,
        "history": [],
        "materials": [],
    }
    related: list[dict[str, Any]] = []
    if breached:
        decided = signed + timedelta(days=30)
        fields["breach"] = {"severity": "general", "recorded_at": decided.isoformat()}
        breach = {
            "uscc": uscc,
            "entity_name": entity["name"],
            "matter": matter,
            "source_collection": "commitments",
            "source_id": form_id,
            "kind": "breach",
            "severity": "general",
            "evidence": "经核查，承诺事项未在承诺期限内履行。",
            "decided_on": decided.isoformat(),
            "repaired": False,
        }
        breach_id = f"demo-dr-{uscc}"
        related.append(breach)
        forms[Collection.DISHONESTY_RECORDS.value].append((breach_id, breach, hall))
        entry = credit_record.project("dishonesty_records", breach_id, breach)
        if entry is not None:
            public = Scope(region_code=code, entity_uscc=uscc)
            entries.append((credit_record.entry_id("dishonesty_records", breach_id), entry, public))
    forms[Collection.COMMITMENTS.value].append((form_id, fields, hall))
    entry = credit_record.project("commitments", form_id, fields, related)
    if entry is not None:
        scope = Scope(region_code=code, entity_uscc=uscc)
        entries.append((credit_record.entry_id("commitments", form_id), entry, scope))
