"""Load and soak: the portal and the back office on gunicorn + PostgreSQL under concurrent clients.

    .venv/bin/python benchmarks/bench_load.py [--clients 32] [--duration 60] [--workers 4]
                                              [--no-write]

Without ``DATABASE_URL`` the script runs itself again under ``scripts/with-postgres.sh`` (a
throw-away PostgreSQL server that is removed afterwards). Then, in a temporary data directory:

1. ``migrate``, ``load_demo`` and ``collectstatic`` in production mode (``GONGKAI_PRODUCTION=1``,
   DEBUG off, manifest static files, file cache, secure cookies; requests carry
   ``X-Forwarded-Proto: https`` as nginx would send them, so no HTTPS redirect is needed);
2. gunicorn with ``--workers`` sync processes on 127.0.0.1 (a free port) — nothing else is
   contacted;
3. every client logs in (back-office clients as the demo head of the justice bureau) before
   the clock starts, then half the clients browse the portal anonymously and half browse the
   back office, each with one keep-alive connection, for ``--duration`` seconds;
4. every response must be 200: anything else (an error page, a redirect to the login page, a
   timeout) counts as an error. The script exits 1 if there was any error.

Pages that do not exist yet (404 in the warm-up) are left out and listed. Results (requests,
errors, throughput, p50/p95/p99 latency, overall and per area) go to docs/benchmarks.md,
section "负载与长时运行".
"""

from __future__ import annotations

import argparse
import http.client
import io
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

SECTION = "负载与长时运行（gunicorn + PostgreSQL）"
STAFF_USER = "sfj_head"
PORTAL_PAGES = [
    ("portal:home", {}),
    ("portal:agency", {"slug": "shifanxian-sfj"}),
    ("portal:publishing:catalogue", {}),
    ("portal:requests:choose_agency", {}),
    ("portal:requests:track", {}),
    ("portal:messages:list", {}),
    ("portal:annual:list", {}),
]
BACKOFFICE_PAGES = [
    ("backoffice:dashboard", {}),
    ("backoffice:agency_list", {}),
    ("backoffice:audit_log", {}),
    ("backoffice:requests:list", {}),
    ("backoffice:appeals:list", {}),
    ("backoffice:publishing:list", {}),
    ("backoffice:messages:list", {}),
    ("backoffice:annual:list", {}),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Client:
    port: int
    cookies: dict[str, str] = field(default_factory=dict)
    conn: http.client.HTTPConnection | None = None

    def _connection(self) -> http.client.HTTPConnection:
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        return self.conn

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, bytes, dict]:
        headers = {
            "Host": f"127.0.0.1:{self.port}",
            "X-Forwarded-Proto": "https",
            "Referer": f"https://127.0.0.1:{self.port}{path}",
            "User-Agent": "gongkai-bench-load",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn = self._connection()
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            self.close()
            raise
        for value in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        if response.getheader("Connection", "").lower() == "close":
            self.close()
        return response.status, data, dict(response.getheaders())

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def login(self, login_path: str, username: str, password: str) -> None:
        status, page, _ = self.request("GET", login_path)
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or not match:
            raise RuntimeError(f"login page: HTTP {status}")
        form = urlencode(
            {
                "csrfmiddlewaretoken": match.group(1).decode(),
                "username": username,
                "password": password,
            }
        )
        status, _, headers = self.request("POST", login_path, form)
        if status != 302:
            raise RuntimeError(f"login refused for {username}: HTTP {status}")


@dataclass
class Sample:
    area: str
    path: str
    seconds: float
    ok: bool
    detail: str = ""


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def prepare(data_dir: Path) -> dict[str, str]:
    """Production-mode environment, database migrated and filled with the demo platform."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("GONGKAI_")},
        "GONGKAI_PRODUCTION": "1",
        "GONGKAI_SECRET_KEY": secrets.token_urlsafe(50),
        "GONGKAI_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "GONGKAI_SSL_REDIRECT": "0",
        "GONGKAI_DATA_DIR": str(data_dir),
        "GONGKAI_DB_CONN_MAX_AGE": "60",
        "DJANGO_SETTINGS_MODULE": "gongkai.config.settings",
        "PYTHONPATH": str(ROOT / "src"),
    }
    os.environ.update(env)
    import django
    from django.core.management import call_command
    from django.db import connections

    django.setup()
    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_demo", stdout=io.StringIO())
    call_command("collectstatic", interactive=False, verbosity=0)
    connections.close_all()
    print(f"prepared the database and static files in {time.perf_counter() - started:.1f} s")
    return env


def start_gunicorn(env: dict[str, str], port: int, workers: int, log: Path) -> subprocess.Popen:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "gongkai.config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--timeout",
            "60",
            "--keep-alive",
            "30",
            "--backlog",
            "256",
        ],
        env=env,
        cwd=ROOT,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited: see {log}")
        try:
            status, _, _ = Client(port).request("GET", "/")
            if status in (200, 302):
                return process
        except OSError:
            pass
        time.sleep(0.3)
    process.terminate()
    raise RuntimeError("gunicorn did not answer within 60 s")


def pages(names: list[tuple[str, dict]]) -> list[str]:
    from django.urls import NoReverseMatch, reverse

    found = []
    for name, kwargs in names:
        try:
            found.append(reverse(name, kwargs=kwargs or None))
        except NoReverseMatch:
            continue
    return found


def warm_up(client: Client, paths: list[str]) -> tuple[list[str], list[str]]:
    """Keep the pages that answer 200; 404 (not built yet) are left out, anything else fails."""
    kept, left_out = [], []
    for path in paths:
        status, _, _ = client.request("GET", path)
        if status == 200:
            kept.append(path)
        elif status == 404:
            left_out.append(f"{path}（404）")
        else:
            raise RuntimeError(f"warm-up: {path} answered HTTP {status}")
    return kept, left_out


def run_clients(
    clients: list[tuple[str, Client, list[str]]], duration: float, max_requests: int
) -> tuple[list[Sample], float]:
    samples: list[Sample] = []
    if duration <= 0:
        return samples, 0.0
    lock = threading.Lock()
    start = threading.Event()
    stop_at = [0.0]

    def worker(index: int, area: str, client: Client, paths: list[str]) -> None:
        local: list[Sample] = []
        start.wait()
        i = index
        while time.perf_counter() < stop_at[0] and len(local) < max_requests:
            path = paths[i % len(paths)]
            i += 1
            begun = time.perf_counter()
            try:
                status, body, headers = client.request("GET", path)
                ok = status == 200
                detail = "" if ok else f"HTTP {status} {headers.get('Location', '')}"
            except (OSError, http.client.HTTPException) as exc:
                ok, detail = False, type(exc).__name__
            local.append(Sample(area, path, time.perf_counter() - begun, ok, detail))
        client.close()
        with lock:
            samples.extend(local)

    threads = [
        threading.Thread(target=worker, args=(n, area, client, paths), daemon=True)
        for n, (area, client, paths) in enumerate(clients)
    ]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    stop_at[0] = began + duration
    start.set()
    for thread in threads:
        thread.join(duration + 120)
    return samples, time.perf_counter() - began


def summarise(samples: list[Sample], elapsed: float) -> dict[str, object]:
    times = [s.seconds * 1000 for s in samples]
    return {
        "requests": len(samples),
        "errors": sum(not s.ok for s in samples),
        "rps": len(samples) / elapsed if elapsed else 0.0,
        "p50": percentile(times, 50),
        "p95": percentile(times, 95),
        "p99": percentile(times, 99),
        "max": max(times) if times else float("nan"),
        "mean": statistics.fmean(times) if times else float("nan"),
    }


def report(args, samples, elapsed, kept, left_out, server_version) -> str:
    rows = [("全部", summarise(samples, elapsed))]
    for area, label in (("portal", "门户（匿名）"), ("backoffice", "工作后台（已登录）")):
        rows.append((label, summarise([s for s in samples if s.area == area], elapsed)))
    table = [
        "| 范围 | 请求数 | 错误 | 吞吐量（请求/秒） | p50（毫秒） | p95（毫秒） | p99（毫秒） | 最长（毫秒） |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for label, s in rows:
        table.append(
            f"| {label} | {s['requests']} | {s['errors']} | {s['rps']:.1f} | {s['p50']:.0f} "
            f"| {s['p95']:.0f} | {s['p99']:.0f} | {s['max']:.0f} |"
        )
    lines = [
        f"`benchmarks/bench_load.py --clients {args.clients} --duration {args.duration:g} "
        f"--workers {args.workers}`：{args.clients} 个并发客户端（一半匿名浏览门户，一半以"
        f"负责人身份浏览工作后台，各用一条 keep-alive 连接，不间断请求）持续 "
        f"{elapsed:.0f} 秒（之前先不计时预热 {args.warmup:g} 秒）；gunicorn {args.workers} 个同步进程，生产模式（DEBUG 关闭），"
        f"PostgreSQL {server_version}，全部在 127.0.0.1 上。每个响应都必须是 200 才算成功。",
        "",
        *table,
        "",
        f"页面：{'、'.join(f'`{p}`' for p in kept)}。",
    ]
    if left_out:
        lines.append(f"尚未实现、未计入的页面：{'、'.join(left_out)}。")
    lines.append(
        f"机器：{platform.machine()}，{os.cpu_count()} 核，Python {platform.python_version()}；"
        "客户端与服务器在同一台机器上争用 CPU，数字是下限。"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds (default 60)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn processes (default 4)")
    parser.add_argument(
        "--max-requests", type=int, default=1_000_000, help="upper bound per client (safety)"
    )
    parser.add_argument("--warmup", type=float, default=5.0, help="untimed seconds first")
    parser.add_argument("--no-write", action="store_true", help="print, do not update the docs")
    args = parser.parse_args(argv)
    if not (1 <= args.clients <= 256 and 1 <= args.duration <= 1800):
        parser.error("--clients must be 1..256 and --duration 1..1800 seconds")

    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        script = ROOT / "scripts" / "with-postgres.sh"
        return subprocess.call([str(script), sys.executable, __file__, *sys.argv[1:]])

    data_dir = Path(tempfile.mkdtemp(prefix="gongkai-bench-load-"))
    server = None
    try:
        env = prepare(data_dir)
        from django.db import connection

        from gongkai.core.demo import DEMO_PASSWORD

        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            server_version = cursor.fetchone()[0].split()[0]
        connection.close()
        portal_paths = pages(PORTAL_PAGES)
        staff_paths = pages(BACKOFFICE_PAGES)
        from django.urls import reverse

        login_path = reverse("backoffice:login")

        port = free_port()
        server = start_gunicorn(env, port, args.workers, data_dir / "gunicorn.log")
        print(f"gunicorn on 127.0.0.1:{port} with {args.workers} workers")

        probe = Client(port)
        portal_paths, portal_out = warm_up(probe, portal_paths)
        probe.login(login_path, STAFF_USER, DEMO_PASSWORD)
        staff_paths, staff_out = warm_up(probe, staff_paths)
        probe.close()

        clients = []
        for n in range(args.clients):
            client = Client(port)
            if n % 2:
                client.login(login_path, STAFF_USER, DEMO_PASSWORD)
                clients.append(("backoffice", client, staff_paths))
            else:
                clients.append(("portal", client, portal_paths))
        # Every gunicorn process compiles templates and opens its connection on first use:
        # an untimed warm-up with the same clients (its errors count too).
        warm, _ = run_clients(clients, args.warmup, args.max_requests)
        warm_errors = [s for s in warm if not s.ok]
        load_before = os.getloadavg()[0]
        print(f"{args.clients} clients ready; running for {args.duration:g} s …")
        samples, elapsed = run_clients(clients, args.duration, args.max_requests)
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(30)
            except subprocess.TimeoutExpired:
                server.kill()
        shutil.rmtree(data_dir, ignore_errors=True)

    body = report(
        args, samples, elapsed, portal_paths + staff_paths, portal_out + staff_out, server_version
    )
    body += f"开始计时时本机 1 分钟平均负载 {load_before:.1f}（其他程序也在运行时数字会偏低）。"
    print(body)
    errors = warm_errors + [s for s in samples if not s.ok]
    for sample in errors[:10]:
        print(f"error: {sample.area} {sample.path}: {sample.detail}", file=sys.stderr)
    if not args.no_write:
        from docs_section import write_section

        write_section(SECTION, body)
        print(f"docs/benchmarks.md: section “{SECTION}” updated")
    return 1 if errors or not samples else 0


if __name__ == "__main__":
    sys.exit(main())
