"""Canonical URLs: one spelling per resource, so the same article is stored once.

Tracking parameters that newsletters, social networks and analytics append (``utm_*``,
``fbclid`` …) change the URL without changing the resource; two fetches of one story then look
like two stories. :func:`canonical_url` removes them and normalises the harmless differences.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Exact names; every parameter starting with "utm_" is dropped as well.
TRACKING_PARAMETERS = frozenset(
    {"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "ref", "spm", "yclid", "_ga", "igshid"}
)
DEFAULT_PORTS = {"http": 80, "https": 443}


def is_tracking_parameter(name: str) -> bool:
    """True for a query parameter that only serves click tracking."""
    lowered = name.lower()
    return lowered.startswith("utm_") or lowered in TRACKING_PARAMETERS


def canonical_url(url: str) -> str:
    """Return ``url`` in canonical form.

    Lowercases scheme and host, drops the fragment, the default port (80 for http, 443 for
    https) and tracking parameters, sorts the remaining query parameters (stable for repeated
    names) and gives an empty path as ``/`` for http(s). Userinfo is kept as is. A string that
    is not an absolute URL is returned stripped but otherwise unchanged: this function never
    raises, because it also runs on untrusted GUIDs.
    """
    stripped = url.strip()
    try:
        parts = urlsplit(stripped)
        port = parts.port
    except ValueError:
        return stripped
    if not parts.scheme or not parts.netloc:
        return stripped
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    if ":" in host:  # an IPv6 literal keeps its brackets
        host = f"[{host}]"
    netloc = host
    if port is not None and DEFAULT_PORTS.get(scheme) != port:
        netloc = f"{host}:{port}"
    if "@" in parts.netloc:
        netloc = parts.netloc.rsplit("@", 1)[0] + "@" + netloc
    query_pairs = [
        (name, value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if not is_tracking_parameter(name)
    ]
    query_pairs.sort(key=lambda pair: pair[0])
    path = parts.path
    if not path and scheme in DEFAULT_PORTS:
        path = "/"
    return urlunsplit((scheme, netloc, path, urlencode(query_pairs), ""))
