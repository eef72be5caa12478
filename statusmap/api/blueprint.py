"""The API blueprint (mounted at /api/v1): every API view module attaches its routes here."""

from flask import Blueprint

bp = Blueprint("api", __name__)
