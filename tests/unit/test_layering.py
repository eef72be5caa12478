"""Layering: domain code stays free of Flask; web workers do not load the heavy GIS stack;
migrations freeze their schema instead of importing the live models."""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import statusmap

PACKAGE = Path(statusmap.__file__).parent
# The web layer: the only modules that may import Flask. Everything else is domain code, found
# by walking the package, so a new package is covered without editing this list.
WEB_LAYER = {
    "statusmap",
    "statusmap.config",
    "statusmap.db",
    "statusmap.extensions",
    "statusmap.i18n",
    "statusmap.prepared",
    "statusmap.web",
    "statusmap.web_maps",
}


def _is_web(name: str) -> bool:
    last = name.rsplit(".", 1)[-1]
    return (
        name in WEB_LAYER
        or last == "views"
        or last.endswith(("_views", "_forms"))
        or last in ("forms", "access", "blueprint", "routes")  # Flask-WTF forms, Flask-Login glue
        or name == "statusmap.staff"
        or name.startswith("statusmap.staff.")  # the staff blueprint package is all web layer
        or last.startswith("cli")
        or name.startswith("statusmap.migrations")  # run by Alembic, not by the app's domain
    )


def domain_modules() -> list[str]:
    """Every module of the package outside the web layer."""
    found = pkgutil.walk_packages([str(PACKAGE)], prefix="statusmap.")
    return sorted(m.name for m in found if not _is_web(m.name))


def _loaded_after(imports: str, prefixes: tuple[str, ...]) -> list[str]:
    code = (
        "import sys\n"
        + imports
        + f"\nprint(','.join(sorted(m for m in sys.modules if m.split('.')[0] in {prefixes!r})))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return [m for m in result.stdout.strip().split(",") if m]


def test_discovery_sees_the_domain_packages() -> None:
    modules = domain_modules()
    for expected in ("statusmap.gis.queries.spatial", "statusmap.incidents.operations"):
        assert expected in modules
    assert "statusmap.public.views" not in modules


def test_domain_modules_do_not_import_flask() -> None:
    imports = "".join(f"import {name}\n" for name in domain_modules())
    loaded = _loaded_after(imports, ("flask",))
    assert loaded == [], f"Flask imported by domain code: {loaded}"


def test_a_web_worker_does_not_load_geopandas() -> None:
    """The app and its CLI registration load without geopandas/GDAL; commands import them."""
    imports = (
        "from statusmap import create_app\n"
        "app = create_app({'DATABASE_URL': 'sqlite://', 'SECRET_KEY': 'x', 'TESTING': True})\n"
    )
    assert _loaded_after(imports, ("geopandas", "pyogrio", "wntr")) == []


def test_migrations_do_not_import_the_live_schema() -> None:
    """A revision's schema is frozen in it: importing models or column types would let it drift."""
    live = ("statusmap.models", "statusmap.gis.storage")
    for path in sorted((PACKAGE / "migrations" / "versions").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert not node.module.startswith(live), f"{path.name} imports {node.module}"
            if isinstance(node, ast.Import):
                for alias in node.names:
                    assert not alias.name.startswith(live), f"{path.name} imports {alias.name}"
