"""A client process on a machine without a secure keyring: passphrase store, login, sync.

Run by ``test_login_no_keyring.py`` with the venv's python and
``PYTHON_KEYRING_BACKEND=keyring.backends.fail.Keyring``. It does what the app does, with the
same code: :class:`StoreUnlocker` opens (first run: creates) the profile's store with the
passphrase, :meth:`TokenVault.for_profile` decides where tokens live, and then either
:func:`sync.credentials.login` (a password is given) or :func:`restore_session` (none is: a
restart), one new commitment form with its outbox entry, and a sync.

Configured by the environment:

``NK_PROFILE`` profile folder, ``NK_PASSPHRASE`` store passphrase, ``NK_URL`` platform,
``NK_USER`` account, ``NK_PASSWORD`` its password (absent: restore the stored login),
``NK_RECORD`` the id of the form to create.

Prints ``mode <unlock mode>``, ``keyring <backend class>``, then ``logged-in`` or
``restored <True|False>``, and ``synced <json>`` with the sync report; exits 0 when synced.
"""

from __future__ import annotations

import json
import os
import socket
import sys
from pathlib import Path

import keyring

from desktop_app.config import ProfilePaths
from desktop_app.domain.uscc import generate_uscc
from desktop_app.services.unlock import StoreUnlocker
from sync.credentials import TokenVault, login, restore_session
from sync.engine import SyncEngine
from sync.transport import Transport
from tests.sync.helpers import create_form

CODE = generate_uscc("9", "1", "140403", "00000731")  # an entity of 潞州区 (the demo hall)


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def main() -> int:
    """Run once; exit 0 when the new form was synced."""
    env = os.environ
    paths = ProfilePaths(Path(env["NK_PROFILE"]))
    unlocker = StoreUnlocker(paths)
    _say(f"mode {unlocker.mode().value}")
    _say(f"keyring {type(keyring.get_keyring()).__module__}")
    store = unlocker.unlock(env["NK_PASSPHRASE"])
    transport = Transport(env["NK_URL"], backoff_base=0.01, max_attempts=3)
    try:
        vault = TokenVault.for_profile(paths, store)
        password = env.get("NK_PASSWORD")
        if password:
            login(
                store, transport, vault, env["NK_USER"], password, device_name=socket.gethostname()
            )
            _say("logged-in")
        else:
            restored = restore_session(store, transport, vault)
            _say(f"restored {restored}")
            if not restored:
                return 3
        rid = env["NK_RECORD"]
        fields = {"uscc": CODE, "kind": "notify", "status": "draft", "matter": "食品经营许可"}
        create_form(store, "commitments", rid, fields | {"text": rid})
        report = SyncEngine(store, transport).sync()
        _say("synced " + json.dumps({"pushed": report.pushed, "rejected": report.rejected}))
        return 0
    finally:
        transport.close()
        store.close()


if __name__ == "__main__":
    sys.exit(main())
