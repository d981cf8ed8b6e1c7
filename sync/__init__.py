"""Sync with the municipal platform: wire protocol, HTTP transport and sync engine.

Filled by the platform and sync issues; the package exists now so the layer rules
(``sync`` never imports ``ui``) are enforced from the start.
"""
