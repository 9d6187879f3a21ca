"""POST with retries, shared by the ingestion client (client.py) and the scoring client (scoring.py).

429, 5xx and connection errors are retried with exponential backoff and jitter; any other
status is returned as is, so the caller decides what a 4xx means. Standard library only.
"""

from __future__ import annotations

import random
import time
import urllib.error
import urllib.request
from typing import Any, Callable, Dict, Tuple

RETRY_STATUSES = {408, 425, 429, 500, 502, 503, 504}


class Unavailable(Exception):
    """The server could not be reached (or kept answering 429/5xx) after every retry."""


def post_with_retries(
    url: str,
    data: bytes,
    headers: Dict[str, str],
    *,
    timeout: float,
    max_retries: int,
    backoff: float,
    max_backoff: float,
    parse: Callable[[bytes], Any],
) -> Tuple[int, Any]:
    """POST ``data`` to ``url``; returns (status, ``parse(body)``), or raises :class:`Unavailable`
    after ``max_retries + 1`` attempts."""
    last = ""
    for attempt in range(max_retries + 1):
        if attempt:
            time.sleep(min(max_backoff, backoff * 2 ** (attempt - 1)) * (0.5 + random.random() / 2))
        req = urllib.request.Request(url, data=data, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                return resp.status, parse(resp.read())
        except urllib.error.HTTPError as err:
            payload = parse(err.read())
            if err.code not in RETRY_STATUSES:
                return err.code, payload
            last = f"HTTP {err.code}"
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError) as err:
            last = str(getattr(err, "reason", err))
    raise Unavailable(f"POST {url} failed after {max_retries + 1} attempts: {last}")
