"""The processes of a multi-process deployment, for a benchmark: API processes (`partpilot serve --no-worker`)
behind nginx, and job workers (`partpilot worker`), each a real OS process that can be killed with SIGKILL
and started again."""

from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from api.server import free_port
from partpilot.bench.latency import wait_for_http

log = logging.getLogger(__name__)
_NGINX_CONF = """worker_processes 1;
pid {root}/nginx.pid;
error_log {root}/nginx-error.log warn;
events {{ worker_connections 2048; }}
http {{
  access_log off;
  client_body_temp_path {root}/body; proxy_temp_path {root}/proxy; fastcgi_temp_path {root}/fastcgi;
  uwsgi_temp_path {root}/uwsgi; scgi_temp_path {root}/scgi;
  upstream partpilot {{
{servers}
    keepalive 64;
  }}
  server {{
    listen 127.0.0.1:{port};
    location / {{
      proxy_pass http://partpilot;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header X-Forwarded-Host $http_host;
      proxy_connect_timeout 1s;
      proxy_read_timeout 30s;
      # A refused connection (a killed API process) is tried on the next server; a request already sent is not.
      proxy_next_upstream error timeout;
    }}
  }}
}}
"""


def _running(process: subprocess.Popen[bytes] | None) -> bool:
    return process is not None and process.poll() is None


class Nginx:
    """nginx (the Debian package) as the reverse proxy in front of the API processes."""

    def __init__(self, root: Path, upstream_ports: list[int]) -> None:
        binary = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None)
        if binary is None:
            raise RuntimeError("nginx is not installed (Debian: apt-get install nginx-light)")
        root.mkdir(parents=True, exist_ok=True)
        for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (root / name).mkdir(exist_ok=True)
            (root / name).chmod(0o777)  # nginx's workers run unprivileged when we are root
        self.port = free_port()
        servers = "\n".join(f"    server 127.0.0.1:{p} max_fails=1 fail_timeout=1s;" for p in upstream_ports)
        conf = root / "nginx.conf"
        conf.write_text(_NGINX_CONF.format(root=root, servers=servers, port=self.port))
        self._process = subprocess.Popen([binary, "-p", str(root), "-c", str(conf), "-e", str(root / "nginx-error.log"),
                                          "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.url = f"http://127.0.0.1:{self.port}"

    def close(self) -> None:
        self._process.terminate()
        try:
            self._process.wait(10)
        except subprocess.TimeoutExpired:
            self._process.kill()


class Fleet:
    """`apis` API processes on fixed ports and `workers` job workers, all with the environment `env`."""

    def __init__(self, root: Path, env: dict[str, str], apis: int, workers: int, concurrency: int) -> None:
        self.root, self.env, self.concurrency = root, {**os.environ, **env}, concurrency
        root.mkdir(parents=True, exist_ok=True)
        self.api_ports = [free_port() for _ in range(apis)]
        self.apis: list[subprocess.Popen[bytes] | None] = [None] * apis
        self.workers: list[subprocess.Popen[bytes] | None] = [None] * workers
        self.kills: list[dict[str, object]] = []

    def _spawn(self, name: str, args: list[str]) -> subprocess.Popen[bytes]:
        out = (self.root / f"{name}.log").open("ab")
        return subprocess.Popen([sys.executable, "-m", "partpilot.cli", *args], env=self.env, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)

    def start_api(self, i: int) -> None:
        self.apis[i] = self._spawn(f"api-{i}", ["serve", "--host", "127.0.0.1", "--port", str(self.api_ports[i]),
                                                "--no-worker"])

    def start_worker(self, i: int) -> None:
        self.workers[i] = self._spawn(f"worker-{i}", ["worker", "--concurrency", str(self.concurrency),
                                                      "--name", f"bench-worker-{i}"])

    def start(self) -> None:
        for i in range(len(self.apis)):
            self.start_api(i)
        for i in range(len(self.workers)):
            self.start_worker(i)

    def wait_ready(self, workers_running: Callable[[], int], timeout: float = 180) -> None:
        """Every API process answers /ready (its database reachable and migrated) and every worker is taking
        jobs (`workers_running()` counts them)."""
        deadline = time.monotonic() + timeout
        while workers_running() < sum(map(_running, self.workers)):
            if time.monotonic() > deadline:
                raise RuntimeError(f"workers not running after {timeout:.0f} s; see {self.root}/worker-*.log")
            time.sleep(0.2)
        for i, port in enumerate(self.api_ports):
            wait_for_http(f"http://127.0.0.1:{port}/ready", partial(_running, self.apis[i]),
                          max(1.0, deadline - time.monotonic()), f"API process {i} (see {self.root}/api-{i}.log)")

    def kill(self, kind: str, i: int) -> None:
        """SIGKILL: no shutdown, no cleanup, as when a machine dies."""
        processes = self.apis if kind == "api" else self.workers
        process = processes[i]
        if process is not None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            self.kills.append({"process": f"{kind}-{i}", "at": time.time()})
            log.info("killed %s-%d", kind, i)

    def restart(self, kind: str, i: int) -> None:
        (self.start_api if kind == "api" else self.start_worker)(i)

    def alive(self) -> dict[str, int]:
        return {"apis": sum(map(_running, self.apis)), "workers": sum(map(_running, self.workers))}

    def close(self) -> None:
        for process in [*self.apis, *self.workers]:
            if process is not None and process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in [*self.apis, *self.workers]:
            if process is None:
                continue
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
