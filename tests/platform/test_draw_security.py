"""双随机 draws cannot be steered: the platform alone chooses the seed, and a regional supervisor
draws, reads and replays only in their own region — over HTTP and on the command line, on
SQLite and PostgreSQL. (The draw itself is tested in ``test_draw.py``.)"""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from platform_server.cli import main
from platform_server.models import Draw
from tests.platform.conftest import add_user, auth, login
from tests.platform.test_cli import cli, cli_settings  # noqa: F401 - a fixture, used by name
from tests.platform.test_draw import seed_entities


def _people(app: FastAPI) -> None:
    add_user(app, "luzhou", "supervisor")  # 潞州区 140403
    add_user(app, "shangdang", "supervisor", region="140404")  # 上党区
    add_user(app, "root", "admin", region=None)
    for name, region in (("i1", "140403"), ("i2", "140403"), ("s1", "140404"), ("s2", "140404")):
        add_user(app, name, "inspector", region=region)


def _draws(app: FastAPI) -> int:
    with app.state.sessions() as s:
        return int(s.scalar(select(func.count()).select_from(Draw)) or 0)


def test_the_seed_is_the_platforms_whatever_the_request_says(
    app: FastAPI, client: TestClient
) -> None:
    seed_entities(app, "DDDD")
    _people(app)
    boss = auth(login(client, "luzhou"))
    body = {"title": "第四季度"}
    for smuggled in ({"seed": "0"}, {"random_seed": 7}, {"inputs": {"seed": "0"}}):
        refused = client.post("/v1/draws", json={**body, **smuggled}, headers=boss)
        assert refused.status_code == 422, smuggled
    # Nor through the query string or a header: they are not read at all.
    seeds = []
    for i in range(8):
        made = client.post(
            "/v1/draws", params={"seed": "0"}, json=body, headers={**boss, "X-Seed": str(i)}
        )
        assert made.status_code == 201, made.text
        seed = made.json()["seed"]
        assert len(seed) == 32 and int(seed, 16) >= 0  # 128 random bits
        seeds.append(seed)
        # The recorded seed is the one used: the draw replays from it.
        replay = client.get(f"/v1/draws/{made.json()['draw_id']}/replay", headers=boss)
        assert replay.json()["matches"] is True
    assert len(set(seeds)) == len(seeds)
    # The command line has no way to pass a seed either.
    with pytest.raises(SystemExit):
        main(["draw", "--title", "t", "--supervisor", "luzhou", "--seed", "1"])


def test_a_district_supervisor_cannot_draw_outside_it(app: FastAPI, client: TestClient) -> None:
    seed_entities(app, "DD")
    seed_entities(app, "DD", region="140404", start=10)  # 上党区
    seed_entities(app, "DD", region="140421", start=20)  # 长治县, now 上党区
    _people(app)
    luzhou = auth(login(client, "luzhou"))
    shangdang = auth(login(client, "shangdang"))
    for region in ("140404", "140421", "140400", "140000", "000000"):
        refused = client.post(
            "/v1/draws", json={"title": "越界", "region_code": region}, headers=luzhou
        )
        assert refused.status_code == 403, (region, refused.text)
        assert refused.json()["code"] == "forbidden" and "本区域" in refused.json()["message"]
    assert _draws(app) == 0
    # The abolished county is 上党区's: its supervisor draws there, and 潞州区's cannot read it.
    theirs = client.post(
        "/v1/draws",
        json={"title": "长治县旧址", "region_code": "140421", "inspector_usernames": ["s1", "s2"]},
        headers=shangdang,
    )
    assert theirs.status_code == 201, theirs.text
    assert {t["uscc"][2:8] for t in theirs.json()["tasks"]} == {"140421"}
    draw_id = theirs.json()["draw_id"]
    for path in (f"/v1/draws/{draw_id}", f"/v1/draws/{draw_id}/replay"):
        assert client.get(path, headers=luzhou).status_code == 403
    assert client.get("/v1/draws", headers=luzhou).json()["items"] == []


@pytest.mark.usefixtures("cli_settings")
def test_the_command_line_confines_supervisors_too(
    app: FastAPI, capsys: pytest.CaptureFixture[str]
) -> None:
    seed_entities(app, "DD")
    seed_entities(app, "DD", region="140404", start=10)
    _people(app)
    code, _, err = cli(
        capsys, "draw", "--title", "越界", "--region", "140404", "--supervisor", "luzhou"
    )
    assert code == 4 and "本区域" in err
    assert _draws(app) == 0
    code, out, err = cli(capsys, "draw", "--title", "本区", "--supervisor", "luzhou")
    assert code == 0 and "（平台生成）" in out, err


def test_a_district_supervisor_names_only_inspectors_of_their_region(
    app: FastAPI, client: TestClient
) -> None:
    seed_entities(app, "DD")
    _people(app)
    luzhou = auth(login(client, "luzhou"))
    refused = client.post(
        "/v1/draws",
        json={"title": "借调", "inspector_usernames": ["i1", "s1"]},
        headers=luzhou,
    )
    assert refused.status_code == 403, refused.text
    body = refused.json()
    assert body["code"] == "forbidden" and "s1" in body["message"] and "i1" not in body["message"]
    assert _draws(app) == 0
    ours = client.post(
        "/v1/draws", json={"title": "本区", "inspector_usernames": ["i1", "i2"]}, headers=luzhou
    )
    assert ours.status_code == 201, ours.text
    # An admin may form a cross-district team.
    root = auth(login(client, "root"))
    joint = client.post(
        "/v1/draws",
        json={"title": "联合", "region_code": "140403", "inspector_usernames": ["i1", "s1"]},
        headers=root,
    )
    assert joint.status_code == 201, joint.text
