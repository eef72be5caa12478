"""The public blueprint: every public view module attaches its routes to this one."""

from flask import Blueprint

bp = Blueprint("public", __name__)
