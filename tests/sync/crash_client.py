"""A client process for the crash test: open a store, log in, create forms, sync, report.

Configured by the environment (the test kills it with SIGKILL at random moments):

``CRASH_STORE`` store file, ``CRASH_KEY`` its 32-byte key in hex, ``CRASH_URL`` platform,
``CRASH_USER`` account, ``CRASH_FORMS`` how many forms, ``CRASH_PREFIX`` their id prefix;
optionally ``CRASH_PASSWORD`` (the demo password by default), ``CRASH_PULL_LIMIT`` changes
per pull page (150), ``CRASH_CHECKPOINT_CHANGES`` changes between a bulk pull's durable
checkpoints (the engine's own by default; the time limit is then lifted so only the count
decides), and ``CRASH_PAUSE_AT`` a pull progress count at which the client prints ``paused``
and waits to be killed — inside the transaction
of the pages since the last checkpoint.

Prints one line per step (``ready``, ``created <i>``, ``event <phase> <done>``) and, at the
end, ``result <json>`` with the report of a second, empty sync.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import keyring
import keyring.backend

import sync.pull
from desktop_app.store.database import Store
from desktop_app.store.models import FormRecord
from desktop_app.store.outbox import Outbox
from platform_server.demo import DEMO_PASSWORD
from sync.credentials import TokenVault, login
from sync.engine import SyncEngine
from sync.events import SyncEvent
from sync.transport import Transport


class _ProcessKeyring(keyring.backend.KeyringBackend):
    """Tokens for this process only: the crash client logs in on every start."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.secrets.pop((service, username), None)


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def main() -> int:
    """Run once; exit 0 when the sync finished."""
    env = os.environ
    keyring.set_keyring(_ProcessKeyring())
    store = Store.open(Path(env["CRASH_STORE"]), bytes.fromhex(env["CRASH_KEY"]))
    transport = Transport(env["CRASH_URL"], backoff_base=0.01, max_attempts=3)
    try:
        password = env.get("CRASH_PASSWORD", DEMO_PASSWORD)
        login(store, transport, TokenVault("crash"), env["CRASH_USER"], password)
        _say("ready")
        prefix = env["CRASH_PREFIX"]
        for i in range(int(env["CRASH_FORMS"])):
            rid = f"{prefix}-{i}"
            fields = {"uscc": env["CRASH_USCC"], "kind": "notify", "status": "draft"}
            fields |= {"matter": f"事项 {i}", "text": rid}
            with store.write() as s:  # the form and its outbox entry: one transaction
                if s.get(FormRecord, ("commitments", rid)) is not None:
                    continue
                s.add(
                    FormRecord(
                        collection="commitments",
                        record_id=rid,
                        version=None,
                        data=json.dumps(fields, ensure_ascii=False),
                        deleted=False,
                        dirty=True,
                    )
                )
                Outbox(s).add("commitments", rid, "create", fields)
            _say(f"created {i}")

        if "CRASH_CHECKPOINT_CHANGES" in env:
            sync.pull.BULK_CHECKPOINT_CHANGES = int(env["CRASH_CHECKPOINT_CHANGES"])
            sync.pull.BULK_CHECKPOINT_SECONDS = 3600.0
        pause_at = int(env.get("CRASH_PAUSE_AT", "-1"))

        def on_event(event: SyncEvent) -> None:
            _say(f"event {event.phase} {event.done}")
            if event.phase == "pull" and event.done == pause_at:
                _say("paused")
                time.sleep(3600)  # until the test kills this process

        limit = int(env.get("CRASH_PULL_LIMIT", "150"))
        engine = SyncEngine(store, transport, push_batch=4, pull_limit=limit)
        engine.sync(on_event=on_event)
        again = engine.sync()
        _say("result " + json.dumps({"pushed": again.pushed, "pulled": again.pulled}))
        return 0
    finally:
        transport.close()
        store.close()


if __name__ == "__main__":
    sys.exit(main())
