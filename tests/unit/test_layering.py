"""Domain code stays free of Flask: it can be imported and used without a web framework."""

from __future__ import annotations

import subprocess
import sys

DOMAIN = [
    "statusmap.gis.queries",
    "statusmap.gis.validation",
    "statusmap.incidents.operations",
    "statusmap.incidents.queries",
    "statusmap.addresses.importer",
    "statusmap.maps.public_map",
    "statusmap.feeds.geojson",
    "statusmap.municipalities",
    "statusmap.demo",
]


def test_domain_modules_do_not_import_flask() -> None:
    code = (
        "import sys\n"
        + "".join(f"import {name}\n" for name in DOMAIN)
        + "loaded = sorted(m for m in sys.modules if m == 'flask' or m.startswith('flask.'))\n"
        + "print(','.join(loaded))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "", f"Flask imported by domain code: {result.stdout}"
