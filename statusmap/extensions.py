"""Unbound extension objects, bound by create_app. The database is per app (see db.py)."""

from flask import Response
from flask_babel import Babel
from flask_compress import Compress
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect


class TextCompress(Compress):
    """Flask-Compress for text only; images and tiles keep their single, unvaried copy.

    Flask-Compress adds "Vary: Accept-Encoding" to every answer, including the ones it never
    compresses, which would make shared caches keep a copy of each tile per encoding asked for.
    """

    def after_request(self, response: Response | None) -> Response:
        if response is not None and (
            response.mimetype not in self.compress_mimetypes_set or response.status_code == 206
        ):
            return response  # not text, or a byte range of a file: sent as it is
        if response is not None and response.direct_passthrough and response.status_code == 200:
            # A static file: read it whole and close it here (Flask-Compress would read it and
            # leave the file open).
            data = b"".join(response.response)  # type: ignore[arg-type]
            response.close()
            response.set_data(data)
            response.direct_passthrough = False
        return super().after_request(response)


babel = Babel()
compress = TextCompress()
login_manager = LoginManager()
csrf = CSRFProtect()
