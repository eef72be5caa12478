"""Write one benchmark's section of docs/benchmarks.md, replacing its earlier version."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from pathlib import Path

DOC = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"


def write_section(heading: str, body: str, command: str) -> None:
    """Replace (or add) the section under `heading` with the body and the command that made it."""
    section = f"{heading}\n\nCommand: `{command}` ({datetime.now(UTC):%Y-%m-%d}).\n\n{body}\n"
    existing = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Benchmarks\n"
    parts = existing.split("\n## ")
    kept = [parts[0].rstrip() + "\n"] + [
        "## " + p.rstrip() + "\n" for p in parts[1:] if not ("## " + p).startswith(heading)
    ]
    DOC.write_text("\n".join([*kept, section]), encoding="utf-8")
