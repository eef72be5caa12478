"""nginx for the surge benchmark and its tests: the shipped site file (deploy/nginx/statusmap.conf)
filled in for loopback, a static server of recorded answers, and nginx started on them."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from benchmarks.surge_processes import free_port
from benchmarks.surge_processes import started
from benchmarks.surge_processes import wait_for_port
from statusmap import ROOT

SITE = ROOT / "deploy" / "nginx" / "statusmap.conf"
PLACEHOLDER = re.compile(r"\$\{(STATUSMAP_[A-Z_]+)\}")
# The largest number of open connections the benchmark asks of one nginx (pages polling, plus
# each one's upstream connection while it is refreshed, plus wrk's).
CONNECTIONS = 12_000


def require_binary(name: str, package: str) -> str:
    """The path of a required program, or a clear refusal naming the Debian package."""
    found = shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/bin:/sbin")
    if not found:
        raise SystemExit(
            f"public_surge: '{name}' is missing; install the Debian package {package} "
            "(scripts/provision does, as root)"
        )
    return found


def render_site(values: dict[str, str], template: Path = SITE) -> str:
    """The site file with its ${STATUSMAP_...} placeholders filled in; each must be given."""
    text = template.read_text()
    named = set(PLACEHOLDER.findall(text))
    if named != set(values):
        raise ValueError(f"{template} names {sorted(named)}, given {sorted(values)}")
    return PLACEHOLDER.sub(lambda match: values[match.group(1)], text)


def static_site(port: int, answers: dict[str, tuple[Path, dict[str, str]]]) -> str:
    """A server answering each path with a file's bytes and the recorded content headers."""
    blocks = []
    for path, (file, headers) in answers.items():
        lines = [f"    location = {path.split('?')[0]} {{", f"        root {file.parent};"]
        lines.append("        types { }")
        lines.append(f"        try_files /{file.name} =404;")
        lines.append(f'        default_type "{headers["Content-Type"]}";')
        if "Content-Encoding" in headers:
            lines.append(f"        add_header Content-Encoding {headers['Content-Encoding']};")
        blocks.append("\n".join([*lines, "    }"]))
    body = "\n".join(blocks)
    return f"server {{\n    listen 127.0.0.1:{port};\n    gzip off;\n{body}\n}}\n"


def main_conf(workdir: Path, site: Path) -> str:
    """nginx.conf around one site file: everything nginx writes stays inside workdir."""
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers may read the temporary dirs
    temp = " ".join(
        f"{kind}_temp_path {workdir / 'temp' / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return (
        f"{user}worker_processes auto;\nworker_rlimit_nofile {CONNECTIONS * 2};\n"
        f"pid {workdir / 'nginx.pid'};\nerror_log {workdir / 'error.log'} warn;\n"
        f"events {{ worker_connections {CONNECTIONS}; }}\n"
        "http {\n    include /etc/nginx/mime.types;\n    default_type application/octet-stream;\n"
        f"    access_log {workdir / 'access.log'};\n    {temp}\n"
        "    sendfile on;\n    tcp_nopush on;\n    keepalive_timeout 75s;\n"
        f"    include {site};\n}}\n"
    )


@dataclass(frozen=True)
class Nginx:
    """A running nginx: its address and its directory (logs, cache)."""

    url: str
    workdir: Path


def write_conf(workdir: Path, site_text: str) -> Path:
    """Write site and main configuration into workdir; return the main file."""
    workdir.mkdir(parents=True, exist_ok=True)
    for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (workdir / "temp" / kind).mkdir(parents=True, exist_ok=True)
    site = workdir / "site.conf"
    site.write_text(site_text)
    conf = workdir / "nginx.conf"
    conf.write_text(main_conf(workdir, site))
    return conf


def check_conf(conf: Path) -> subprocess.CompletedProcess[str]:
    """`nginx -t` on a configuration: its verdict and messages."""
    nginx = require_binary("nginx", "nginx")
    command = [nginx, "-t", "-p", str(conf.parent), "-c", str(conf), "-e", "/dev/stderr"]
    return subprocess.run(command, capture_output=True, text=True, check=False)


@contextmanager
def nginx_serving(workdir: Path, site_text: str, port: int) -> Iterator[Nginx]:
    """Check and start nginx on a site; yield it; stop it."""
    conf = write_conf(workdir, site_text)
    checked = check_conf(conf)
    if checked.returncode != 0:
        raise RuntimeError(f"nginx refuses {conf}:\n{checked.stderr}")
    nginx = require_binary("nginx", "nginx")
    command = [nginx, "-p", str(workdir), "-c", str(conf), "-e", str(workdir / "error.log")]
    with started([*command, "-g", "daemon off;"], workdir / "nginx.out") as process:
        wait_for_port(port, process, workdir / "error.log")
        yield Nginx(f"http://127.0.0.1:{port}", workdir)


@contextmanager
def microcache(workdir: Path, upstream: str) -> Iterator[Nginx]:
    """The shipped site file in front of an app at upstream (host:port)."""
    port = free_port()
    values = {
        "STATUSMAP_LISTEN": f"127.0.0.1:{port}",
        "STATUSMAP_SERVER_NAME": "localhost 127.0.0.1",
        "STATUSMAP_UPSTREAM": upstream,
        "STATUSMAP_STATIC_ROOT": str(ROOT / "static"),
        "STATUSMAP_CACHE_DIR": str(workdir / "cache"),
    }
    with nginx_serving(workdir, render_site(values), port) as server:
        yield server
