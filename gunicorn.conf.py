"""Gunicorn settings for production (`make serve`): see README "Production".

Every setting can be overridden on the command line or by GUNICORN_CMD_ARGS.
"""

import gc
import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WORKERS", "2"))
worker_class = "sync"
# Evidence uploads of up to 50 MB over slow mobile links need time.
timeout = 120
graceful_timeout = 30
# Recycle workers now and then so a slow leak can never grow without bound. Not too
# often: a new worker pays its start-up (about a second) and starts with an empty page
# cache; at a few thousand requests a second, 5,000 meant a restart every few seconds
# (bench/results.md).
max_requests = 200_000
max_requests_jitter = 20_000
# No response names a software version (docs/security.md, "Web"): gunicorn sends
# "Server: gunicorn" without its version and has no setting for that header, and its own
# error pages (malformed requests) send none; tests/portal/test_serving.py checks both.
accesslog = "-"
errorlog = "-"
# No client address in the access log, ever (domain.md §7): the format leaves out %(h)s.
access_log_format = '- %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'
# Behind a reverse proxy, PORTAL_PROXY_FIX_X_FOR tells the app how many to trust.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def post_worker_init(worker: object) -> None:
    """Move what the worker holds once the app is loaded out of the collector's sight.

    A full garbage collection walks every object the process holds; a request that makes
    thousands of small objects (a year's statistics) triggered one now and then, and each
    walk through the loaded app, its templates and its mappers added about 110 ms to that
    request (bench/README.md). Frozen objects are never walked again, and are not written
    to by the collector, so forked workers also keep sharing their pages.
    """
    gc.freeze()
