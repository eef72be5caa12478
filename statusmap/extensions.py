"""Unbound extension objects, bound by create_app. The database is per app (see db.py)."""

from flask_babel import Babel

babel = Babel()
