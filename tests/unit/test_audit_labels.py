"""Every action the code writes to the audit log has words in the admin's audit page."""

from __future__ import annotations

import re
from pathlib import Path

from statusmap.i18n import AUDIT_ACTION_LABELS

PACKAGE = Path(__file__).resolve().parents[2] / "statusmap"
# Audit actions given as literals: record(..., action="x") and the like.
LITERAL = re.compile(r'\baction="([a-z_0-9]+)"')


def test_every_audited_action_has_a_label() -> None:
    written = {
        match.group(1)
        for path in PACKAGE.rglob("*.py")
        if "migrations" not in path.parts
        for match in LITERAL.finditer(path.read_text(encoding="utf-8"))
    }
    assert len(written) > 10  # the scan found the package's actions
    assert written - AUDIT_ACTION_LABELS.keys() == set()
