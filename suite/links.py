"""What may become a link or a download name on our pages, whoever wrote the text behind it."""
from urllib.parse import urlsplit

from django.utils.http import content_disposition_header

SAFE_SCHEMES = ("http", "https")


def safe_url(url) -> str:
    """`url` if it is http(s) or a path on this site; "" for javascript:, data: and anything else."""
    url = str(url or "").strip()
    if not url:
        return ""
    # Browsers ignore tabs and newlines inside a scheme ("java\tscript:"), so judge it without them.
    compact = "".join(ch for ch in url if ch not in "\t\r\n")
    scheme = urlsplit(compact).scheme.lower()
    if scheme in SAFE_SCHEMES:
        return url
    if not scheme and compact.startswith("/") and not compact.startswith("//"):
        return url
    return ""


def attach(response, filename: str):
    """Mark `response` as a download named `filename`, escaped as RFC 6266 asks (filename* for non-ASCII)."""
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
