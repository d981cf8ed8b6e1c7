"""Shared fixtures: offscreen Qt, an in-memory keyring, throw-away profiles and stores."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from pathlib import Path

# Before anything imports Qt: no display on CI machines.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import keyring
import keyring.backend
import keyring.backends.fail
import pytest

from desktop_app.config import ProfilePaths
from desktop_app.services.app import AppServices
from desktop_app.services.demo_data import generate_entities
from desktop_app.services.registry import import_entities
from desktop_app.services.unlock import StoreUnlocker
from desktop_app.store.database import Store
from sync.report_signing import DeviceReportSigner
from tests.memory_keyring import MemoryKeyring


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    """Every test gets a fresh in-memory keyring; no test touches the machine's."""
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def collectable_heap() -> Iterator[None]:
    """Undo ``desktop_app.heap.settle`` (the launcher freezes the heap) after each test."""
    yield
    gc.unfreeze()


@pytest.fixture
def no_keyring() -> Iterator[None]:
    """The machine has no secure keyring (keyring's ``fail`` backend)."""
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    yield
    keyring.set_keyring(previous)


@pytest.fixture
def profile(tmp_path: Path) -> ProfilePaths:
    """A fresh, empty profile folder."""
    return ProfilePaths(tmp_path / "profile")


@pytest.fixture
def store(profile: ProfilePaths) -> Iterator[Store]:
    """An open store on a real SQLCipher file, key in the in-memory keyring."""
    opened = StoreUnlocker(profile).unlock()
    yield opened
    opened.close()


@pytest.fixture
def services(store: Store, profile: ProfilePaths) -> AppServices:
    """The app's services on the ``store`` fixture."""
    return AppServices.build(
        store, StoreUnlocker(profile), actor="tester", signer=DeviceReportSigner(store)
    )


@pytest.fixture
def seeded_services(services: AppServices) -> AppServices:
    """Services on a store holding 500 demo entities."""
    import_entities(services.store, generate_entities(500, seed=7))
    return services
