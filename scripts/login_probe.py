"""How many wrong passwords get through before a lock-out, against two web workers that share one database.

Starts two gunicorn processes (one worker each, so every request alternates between two processes) on
a fresh VAR_DIR with its own SQLite database, makes one account, then counts:
- per account: wrong passwords for that account, spread over both workers and over /login/ and the token
  API, until the first lock-out answer (429), that one included;
- per client: wrong passwords from one client for ever-new user names before a lock-out;
- spoofing: the same, with a new X-Forwarded-For on every request (not believed: no trusted proxy).
Run: .venv/bin/python scripts/login_probe.py [--json]
"""
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PASSWORD = "a-long-unusual-passphrase-42"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_web_workers(env: dict, n: int = 2) -> tuple[list[str], list[subprocess.Popen]]:
    urls, procs = [], []
    for _ in range(n):
        port = free_port()
        procs.append(subprocess.Popen(
            [str(BIN / "gunicorn"), "suite.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1", "--log-level", "warning"],
            cwd=ROOT, env=env, start_new_session=True,
        ))
        urls.append(f"http://127.0.0.1:{port}")
    deadline = time.monotonic() + 180
    for url in urls:
        while True:
            try:
                urllib.request.urlopen(f"{url}/login/", timeout=15)
                break
            except urllib.error.HTTPError:
                break  # any answer means the web worker is up
            except OSError:
                if time.monotonic() > deadline:
                    stop(procs)
                    raise RuntimeError(f"{url} did not start") from None
                time.sleep(0.5)
    return urls, procs


def stop(procs) -> None:
    for proc in procs:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(proc.pid, signal.SIGKILL)


def _post(url: str, data: dict, *, as_json: bool, headers: dict | None = None, opener=None) -> int:
    body = json.dumps(data).encode() if as_json else urllib.parse.urlencode(data).encode()
    request = urllib.request.Request(url, data=body, headers={
        "Content-Type": "application/json" if as_json else "application/x-www-form-urlencoded", **(headers or {})})
    try:
        with (opener or urllib.request).open(request, timeout=10) if opener else urllib.request.urlopen(request, timeout=10) as r:
            return r.status
    except urllib.error.HTTPError as exc:
        return exc.code


def login_page_post(base: str, username: str, password: str, headers: dict | None = None) -> int:
    """A real browser-like sign-in on /login/: fetch the form for its CSRF token, then post it."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect())
    html = opener.open(f"{base}/login/", timeout=10).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    return _post(f"{base}/login/", {"username": username, "password": password, "csrfmiddlewaretoken": token},
                 as_json=False, headers={"Referer": f"{base}/login/", **(headers or {})}, opener=opener)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def token_post(base: str, username: str, password: str, headers: dict | None = None) -> int:
    return _post(f"{base}/api/auth/token/", {"username": username, "password": password}, as_json=True, headers=headers)


def probe(urls: list[str], username: str, *, limit: int = 40) -> dict:
    """Wrong passwords the servers checked until the lock-out, the one answered with it included (axes locks at
    the failure that reaches the limit), per account; then whether the right password is still refused."""
    def count(attempt) -> int | None:
        for i in range(limit):
            if attempt(i) == 429:
                return i + 1
        return None

    # Per account: alternate workers and endpoints, the same account each time (new client address cannot be
    # faked here, so this counts the account and the client together; the next measure isolates the client).
    per_account = count(lambda i: (login_page_post if i % 2 else token_post)(urls[i % 2], username, "wrong-password"))
    right_after = token_post(urls[0], username, PASSWORD)
    return {"web_workers": len(urls), "per_account": per_account, "right_password_after_lockout": right_after}


def probe_client(urls: list[str], *, spoof: bool, limit: int = 40) -> int | None:
    for i in range(limit):
        headers = {"X-Forwarded-For": f"198.51.100.{i % 250}"} if spoof else None
        if token_post(urls[i % 2], f"nobody-{spoof}-{i}", "wrong-password", headers=headers) == 429:
            return i + 1
    return None


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="login-probe-") as var:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "suite.settings", "VAR_DIR": var, "DEBUG": "0",
               "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
        env.pop("DATABASE_URL", None)
        subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
        subprocess.run([sys.executable, "manage.py", "shell", "-c",
                        f"from django.contrib.auth.models import User; User.objects.create_user('probe', password='{PASSWORD}')"],
                       cwd=ROOT, env=env, check=True)
        urls, procs = start_web_workers(env)
        try:
            result = probe(urls, "probe")
            # The client measures start from a clean slate: the account's lock-out also counted this client.
            subprocess.run([sys.executable, "manage.py", "axes_reset"], cwd=ROOT, env=env, check=True, capture_output=True)
            result["per_client"] = probe_client(urls, spoof=False)
            subprocess.run([sys.executable, "manage.py", "axes_reset"], cwd=ROOT, env=env, check=True, capture_output=True)
            result["per_client_new_x_forwarded_for_each_time"] = probe_client(urls, spoof=True)
        finally:
            stop(procs)
    if "--json" in sys.argv:
        print(json.dumps(result))
    else:
        print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
