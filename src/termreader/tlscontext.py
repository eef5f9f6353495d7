"""The one TLS context every HTTP client shares: made without its CAs, which load before the first https.

Loading the CA bundle costs 25–200 ms of CPU that a refresh of http:// feeds never needs, so it waits for the
first https request (in a worker thread); until then the context trusts no one and fails closed.
"""

from __future__ import annotations

import os
import ssl
import sys
import threading

_ssl_lock = threading.Lock()
_ssl_context: ssl.SSLContext | None = None
_ssl_trusted = False


def client_context() -> ssl.SSLContext:
    """The one TLS context every client shares, created without its trusted CAs (those load on first https).

    Until shared_ssl_context() has run, the context trusts no one: it fails closed.
    """
    global _ssl_context
    with _ssl_lock:
        if _ssl_context is None:
            # What ssl.create_default_context() sets up (verify_mode CERT_REQUIRED, check_hostname), minus
            # loading the CA bundle: 25–200 ms of CPU that a refresh of http:// feeds never needs.
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            keylog = os.environ.get("SSLKEYLOGFILE")
            if keylog and not sys.flags.ignore_environment:
                context.keylog_filename = keylog
            _ssl_context = context
        return _ssl_context


def shared_ssl_context() -> ssl.SSLContext:
    """The verifying TLS context every client shares, its trusted CAs loaded (blocking, once per process).

    The CAs are httpx's defaults (httpx.create_ssl_context): $SSL_CERT_FILE, else $SSL_CERT_DIR, else certifi.
    """
    global _ssl_trusted
    context = client_context()
    with _ssl_lock:
        if not _ssl_trusted:
            if os.environ.get("SSL_CERT_FILE"):
                context.load_verify_locations(cafile=os.environ["SSL_CERT_FILE"])
            elif os.environ.get("SSL_CERT_DIR"):
                context.load_verify_locations(capath=os.environ["SSL_CERT_DIR"])
            else:
                import certifi

                context.load_verify_locations(cafile=certifi.where())
            _ssl_trusted = True
    return context


def ready_context() -> ssl.SSLContext | None:
    """The shared context if it exists already (no blocking work), else None."""
    return _ssl_context


def trusted() -> bool:
    """Whether the shared context has its CAs loaded (an https request needs shared_ssl_context first)."""
    return _ssl_trusted
