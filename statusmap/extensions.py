"""Unbound extension objects; create_app binds them with init_app. The database is per app (db.py)."""

from flask_babel import Babel

babel = Babel()
