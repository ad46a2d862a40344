"""The baseline of every benchmark ratio: a minimal Flask app answering a constant.

It runs under the same gunicorn settings (gunicorn.conf.py) as the portal, so a ratio
says how much of the stack's capacity the portal's own work costs.
"""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def constant() -> str:
    """Answer a constant."""
    return "ok"
