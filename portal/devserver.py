"""The development server (`make run`): Werkzeug's, naming no software version in any response.

It also delivers the outbox in a thread of its own (the same loop as `deliver-notices`),
printing each notice to the console unless PORTAL_NOTICE_DELIVERY says otherwise.

Werkzeug's request handler sends `Server: Werkzeug/<version> Python/<version>` on every
answer, its own error pages included; the version tells an attacker which published
flaws to try. Production runs gunicorn (gunicorn.conf.py), which names no version.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable, Sequence
from typing import Any

from flask import Flask
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

# Where `_keep_answer` leaves the answer being sent, for `connection_dropped` to close.
_ANSWER = "portal.devserver.answer"


class QuietRequestHandler(WSGIRequestHandler):
    """Werkzeug's request handler with a Server header that names no version.

    It also closes an answer whose client went away: Werkzeug reads what is left of the
    request before closing the answer, and when that read fails because the browser
    dropped the connection (a page left while its favicon was on the way), the answer -
    an open static file, say - would stay open until the garbage collector finds it.
    """

    def version_string(self) -> str:
        """Return the Server header: the product alone (docs/security.md, "Web")."""
        return "Werkzeug"

    def connection_dropped(self, error: BaseException, environ: Any = None) -> None:
        answer = (environ or {}).pop(_ANSWER, None)
        if answer is not None and hasattr(answer, "close"):
            answer.close()


def _keep_answer(app: Flask) -> Any:
    def served(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        answer = app(environ, start_response)
        environ[_ANSWER] = answer
        return answer

    return served


def make_dev_server(app: Flask, host: str, port: int) -> BaseWSGIServer:
    """Return a threaded development server of `app` on `host`:`port` (0: any free port)."""
    return make_server(
        host, port, _keep_answer(app), threaded=True, request_handler=QuietRequestHandler
    )


def main(argv: Sequence[str] | None = None) -> None:
    """Serve the portal configured from `PORTAL_*` variables until interrupted."""
    from portal import create_app
    from portal.notices.worker import start_in_thread
    from portal.ops.demo import load_demo_summary, summary_lines

    parser = argparse.ArgumentParser(prog="python -m portal.devserver", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5000)
    args = parser.parse_args(argv)
    app = create_app()
    server = make_dev_server(app, args.host, args.port)
    # Instead of Werkzeug's banner, what a person needs to try the portal (`make run`).
    address = f"http://{args.host}:{server.server_port}"
    summary = load_demo_summary(app)
    lines = summary_lines(summary, address) if summary else [f"Portal running at {address}"]
    print(
        "\n".join([*lines, "", "Development server, not for production. Ctrl+C stops it."]),
        flush=True,
    )
    # Notices are delivered in this process, to the console by default, so the demo shows
    # what a reporter or an officer would be sent (docs/domain.md §10).
    stop_delivery = start_in_thread(app)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        stop_delivery.set()
        server.server_close()


if __name__ == "__main__":
    main()
