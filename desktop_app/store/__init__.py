"""Encrypted local store: SQLAlchemy 2.x ORM on SQLCipher 4, migrations and repositories."""
