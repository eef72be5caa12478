"""Benchmark: public reads under a surge, on this machine, against what serving bytes costs.

A fresh PostGIS database gets the demo municipality (`statusmap demo --no-serve`); gunicorn serves
the app as the Procfile does (2 sync workers). Four servers then answer the same URLs (the
incidents GeoJSON, an incident page, the "affected" endpoint, the live-update feed):

- app:         the app itself, under gunicorn;
- bare Flask:  a bare Flask app under the same gunicorn settings, returning as constants the very
               bytes and content type the app returned for each URL (the framework's ceiling);
- nginx static: nginx serving those bytes from files;
- microcache:  nginx with the shipped deploy/nginx/statusmap.conf in front of the app.

wrk (64 keep-alive connections on loopback, bounded runs, --latency) runs round-robin over every
URL and server, `--rounds` times, so that the shared machine's noise hits all alike; the report
gives median requests/s and p99 and their ratios. Then `--poll-pages` simulated open pages poll
the live-update URL through the micro-cache every `--poll-interval` s (with jitter) on keep-alive
connections. Run from the repository root:

    .venv/bin/python -m benchmarks.public_surge --json surge.json

Every process and the database are removed at the end, Ctrl-C and SIGTERM included.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from types import FrameType

from benchmarks.surge_nginx import microcache
from benchmarks.surge_nginx import nginx_serving
from benchmarks.surge_nginx import require_binary
from benchmarks.surge_nginx import static_site
from benchmarks.surge_poll import PollResult
from benchmarks.surge_poll import poll
from benchmarks.surge_processes import app_environment
from benchmarks.surge_processes import free_port
from benchmarks.surge_processes import gunicorn
from benchmarks.surge_processes import raise_nofile_limit
from benchmarks.surge_report import SERVERS
from benchmarks.surge_report import Measured
from benchmarks.surge_report import report
from benchmarks.surge_report import summary
from benchmarks.surge_targets import Target
from benchmarks.surge_targets import fetch
from benchmarks.surge_targets import find_targets
from benchmarks.surge_targets import record
from benchmarks.surge_wrk import run_wrk
from tests.conftest import DEFAULT_ADMIN_URL
from tests.conftest import new_postgis_database

APP = "statusmap:create_app()"
BARE = "benchmarks.surge_bare:create_app()"


def log(message: str) -> None:
    """Progress on stderr, so stdout is the report alone."""
    print(f"public_surge: {message}", file=sys.stderr, flush=True)


def _stop_on_sigterm() -> None:
    """SIGTERM ends the run as Ctrl-C does: through every clean-up below."""

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)


def seed(database_url: str, log_file: Path) -> None:
    """Migrate and load the demo municipality through the app's own command."""
    command = [sys.executable, "-c", "from statusmap.cli import main; main()", "demo", "--no-serve"]
    with log_file.open("ab") as output:
        subprocess.run(
            command, env=app_environment(database_url), stdout=output, stderr=output, check=True
        )


@contextmanager
def servers(work: Path, database_url: str) -> Iterator[tuple[dict[str, str], list[Target], list]]:
    """The app, then (from its answers) the bare Flask app, nginx static and the micro-cache."""
    with ExitStack() as stack:
        app = stack.enter_context(gunicorn(APP, work / "app.log", app_environment(database_url)))
        targets, notes = find_targets(app)
        recording = record(app, targets, work / "answers")
        (work / "answers.json").write_text(json.dumps(recording))
        bare_env = app_environment(database_url, STATUSMAP_SURGE_ANSWERS=str(work / "answers.json"))
        bare = stack.enter_context(gunicorn(BARE, work / "bare.log", bare_env))
        files = {path: (Path(item["file"]), item["headers"]) for path, item in recording.items()}
        static_port = free_port()
        static = stack.enter_context(
            nginx_serving(work / "static", static_site(static_port, files), static_port)
        )
        cache = stack.enter_context(microcache(work / "microcache", app))
        addresses = {
            "app": f"http://{app}",
            "bare Flask": f"http://{bare}",
            "nginx static": static.url,
            "microcache": cache.url,
        }
        check_answers(addresses, targets, recording)
        yield addresses, targets, notes


def check_answers(addresses: dict[str, str], targets: list[Target], recording: dict) -> None:
    """Every server answers every URL 200; the references with exactly the recorded bytes, type
    and coding."""
    for server, address in addresses.items():
        for target in targets:
            answer = fetch(address, target.path)
            if answer.status != 200:
                raise RuntimeError(f"{server} answered {answer.status} to {target.path}")
            recorded = recording[target.path]
            headers = {name: answer.headers.get(name) for name in recorded["headers"]}
            same = answer.body == Path(recorded["file"]).read_bytes()
            if server in ("bare Flask", "nginx static") and not (
                same and headers == recorded["headers"]
            ):
                raise RuntimeError(f"{server} does not return the app's answer to {target.path}")


def measure(
    addresses: dict[str, str], targets: list[Target], args: argparse.Namespace
) -> list[Measured]:
    """wrk round-robin over every (URL, server), rounds times; each round starts one further on."""
    pairs = [(t, s) for t in targets for s in SERVERS]
    runs: dict[tuple[str, str], list] = {(t.name, s): [] for t, s in pairs}
    for round_number in range(args.rounds):
        shift = round_number % len(pairs)
        for target, server in pairs[shift:] + pairs[:shift]:
            url = addresses[server] + target.path
            result = run_wrk(url, seconds=args.duration, connections=args.connections)
            runs[(target.name, server)].append(result)
            # A sync worker still answers the requests wrk left queued; wait for them, so that
            # they do not take the machine from the next run.
            fetch(addresses[server], target.path)
            log(f"round {round_number + 1}: {target.name} / {server}: {result.rps:.0f} req/s")
    return [Measured(t, s, runs[(t.name, s)]) for t, s in pairs]


def poll_live_updates(
    addresses: dict[str, str], targets: list[Target], args: argparse.Namespace
) -> tuple[PollResult, str]:
    """The open pages polling the live-update URL (the GeoJSON while there is none) via nginx."""
    live = next((t for t in targets if t.name == "live updates"), targets[0])
    raise_nofile_limit(args.poll_pages + 1024)
    log(f"{args.poll_pages} pages polling {live.path} every {args.poll_interval} s")
    url = addresses["microcache"] + live.path
    result = poll(
        url, pages=args.poll_pages, interval=args.poll_interval, seconds=args.poll_seconds
    )
    return result, live.path


def run(args: argparse.Namespace) -> dict:
    """The whole benchmark; its summary (what --json writes)."""
    for binary, package in (("nginx", "nginx"), ("wrk", "wrk")):
        require_binary(binary, package)
    _stop_on_sigterm()
    args.load_at_start = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="public-surge-") as tmp:
        work = Path(tmp)
        os.chmod(work, 0o755)
        with new_postgis_database(args.postgis_url) as database_url:
            log("loading the demo municipality")
            seed(database_url, work / "seed.log")
            with servers(work, database_url) as (addresses, targets, notes):
                measured = measure(addresses, targets, args)
                polled, polled_path = poll_live_updates(addresses, targets, args)
    return summary(args, measured, notes, polled, polled_path)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--postgis-url", default=os.environ.get("STATUSMAP_TEST_POSTGIS_URL", DEFAULT_ADMIN_URL)
    )
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per wrk run")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--poll-pages", type=int, default=5000)
    parser.add_argument("--poll-interval", type=float, default=10.0, help="seconds between polls")
    parser.add_argument("--poll-seconds", type=float, default=30.0, help="how long pages poll")
    parser.add_argument("--json", type=Path, help="write the results here")
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    try:
        result = run(args)
    except KeyboardInterrupt:
        log("interrupted; every process and the database are gone")
        raise SystemExit(130) from None
    text = report(result)
    print(text)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2, default=asdict))
    if args.write:
        write_docs(text)


MEANING = """What the ratios mean: *app / bare Flask* is the share of the framework's ceiling the
app reaches (a bare Flask app under the same gunicorn, returning the app's bytes as constants; aim
0.8 or better); *app / nginx static* how far the app is from serving the same bytes from a file;
*microcache / nginx static* what the shipped `deploy/nginx/statusmap.conf` in front of the app
makes of it (aim 0.8 or better). The p99 ratios are multiples: above 1 is slower. Absolute numbers
move with whatever else the shared machine runs; the ratios, from interleaved runs, less so."""


def write_docs(text: str) -> None:
    """Replace this benchmark's section of docs/benchmarks.md."""
    from benchmarks.spatial_queries import write_section

    command = ".venv/bin/python -m benchmarks.public_surge --json surge.json --write"
    write_section("## Public reads under a surge", f"{MEANING}\n\n{text}", command)


if __name__ == "__main__":
    main()
