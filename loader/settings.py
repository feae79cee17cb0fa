"""Connection settings: command-line options over NEO4J_* variables over the local runner."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
LOCAL_BOLT_PORT = 7687
LOCAL_HTTP_PORT = 7474


@dataclass(frozen=True)
class Settings:
    """Where Neo4j is and how to log in. ``password`` never shows in ``repr``."""

    uri: str = f"bolt://127.0.0.1:{LOCAL_BOLT_PORT}"
    user: str = "neo4j"
    password: str = field(default="", repr=False)
    database: str = "neo4j"

    @property
    def is_local(self) -> bool:
        """True when the URI points at the local runner's default address."""
        return self.uri == Settings.uri

    @classmethod
    def resolve(
        cls,
        uri: str | None = None,
        user: str | None = None,
        password: str | None = None,
        database: str | None = None,
        env: dict[str, str] | None = None,
    ) -> Settings:
        """Explicit values win, then ``NEO4J_*`` variables, then the local runner's defaults."""
        env = dict(os.environ) if env is None else env
        base = cls()
        return replace(
            base,
            uri=uri or env.get("NEO4J_URI") or base.uri,
            user=user or env.get("NEO4J_USER") or base.user,
            password=password or env.get("NEO4J_PASSWORD") or base.password,
            database=database or env.get("NEO4J_DATABASE") or base.database,
        )
