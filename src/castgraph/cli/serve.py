"""castgraph serve: a read-only SPARQL endpoint, linked-data pages and a query page."""

from __future__ import annotations

from pathlib import Path

import click

from castgraph.cli._options import dist_dir_option


@click.command(name="serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@dist_dir_option
@click.option(
    "--dataset",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Serve this dataset file (TriG, N-Quads, Turtle, N-Triples) instead of DIST_DIR.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=10.0,
    show_default=True,
    metavar="SECONDS",
    help="Stop a query after this many seconds (503; its worker process is killed).",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=None,
    help="Query worker processes. Default: the number of CPUs + 1, at least 3 (one may be "
    "busy with a slow query while the others answer).",
)
@click.option(
    "--processes",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Server processes sharing the port, each with its own query workers and caches "
    "(more processes answer more requests per second on more CPUs).",
)
@click.option(
    "--cors/--no-cors",
    default=True,
    show_default=True,
    help="Access-Control-Allow-Origin: * on GET answers (never with credentials).",
)
@click.option(
    "--max-answer-bytes",
    type=click.IntRange(min=1),
    default=32 * 1024 * 1024,
    show_default=True,
    help="Largest answer a query may give (413 beyond it).",
)
@click.option(
    "--access-log/--no-access-log",
    default=True,
    show_default=True,
    help="One line per request on stderr.",
)
def command(
    host, port, dist_dir, dataset, timeout, workers, processes, cors, max_answer_bytes, access_log
) -> None:
    """Serve the built dataset: SPARQL 1.1 Protocol at /sparql, the query library at /queries,
    the graphs at /store, entity pages at /id/SLUG (HTML, Turtle, N-Triples, JSON-LD), /search,
    /def, /query and /orgchart.

    Read-only and offline: SPARQL Update, SERVICE, LOAD and FROM are refused (400); each query
    runs in a worker process that is killed after --timeout seconds (503). Binds 127.0.0.1
    unless --host says otherwise. Ctrl-C stops it.

    \b
    Examples:
      castgraph serve
      castgraph serve --port 8080 --timeout 5
      curl -H 'Accept: text/csv' 'http://127.0.0.1:8000/queries/leaders-of-cast'
    """
    import os
    import socket

    from castgraph.errors import EXIT_ENVIRONMENT, CastgraphError, InputError, display_path

    if dataset is None:
        from castgraph.dataset.store import DATASET_FILE, store_problem

        if store_problem(dist_dir) is not None and not (dist_dir / DATASET_FILE).is_file():
            raise InputError(
                f"{display_path(dist_dir / DATASET_FILE)}: file not found "
                "(run `castgraph build` first)"
            )
    elif not dataset.is_file():
        raise InputError(f"{display_path(dataset)}: file not found")

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as error:
        sock.close()
        reason = "is already in use" if error.errno == 98 else f"cannot be used ({error.strerror})"
        problem = CastgraphError(f"{host}:{port} {reason}: choose another --port")
        problem.exit_code = EXIT_ENVIRONMENT
        raise problem from None
    sock.listen(2048)
    sock.set_inheritable(True)
    bound_port = sock.getsockname()[1]
    shown = f"[{host}]" if family == socket.AF_INET6 else host
    address = f"http://{shown}:{bound_port}/"

    from castgraph.query.library import library
    from castgraph.web.app import ServeConfig, create_app

    config = ServeConfig(
        dist_dir=dist_dir,
        dataset_file=dataset,
        timeout=timeout,
        workers=workers or max(3, (os.cpu_count() or 2) + 1),
        cors=cors,
        max_result_bytes=max_answer_bytes,
        library=library(),
    )
    children = [_fork_server(config, sock, access_log) for _ in range(processes - 1)]
    try:
        _run(create_app(config), sock, address, config, access_log, processes)
    finally:
        _stop_children(children)


def _fork_server(config, sock, access_log: bool) -> int:
    """One more server process on the same listening socket (the kernel spreads connections)."""
    import os

    pid = os.fork()
    if pid:
        return pid
    code = 0
    try:
        _die_with_parent()
        from castgraph.web.app import create_app

        _run(create_app(config), sock, None, config, access_log, 1)
    except BaseException:
        code = 1
    finally:
        os._exit(code)


def _die_with_parent() -> None:
    import signal

    try:
        import ctypes

        ctypes.CDLL(None).prctl(1, int(signal.SIGTERM))  # PR_SET_PDEATHSIG
    except Exception:  # not Linux: the parent's stop still reaches it
        pass


def _stop_children(children: list[int]) -> None:
    import os
    import signal
    import time

    for pid in children:
        with _suppress():
            os.kill(pid, signal.SIGINT)
    deadline = time.monotonic() + 10
    for pid in children:
        while time.monotonic() < deadline:
            with _suppress():
                done, _ = os.waitpid(pid, os.WNOHANG)
                if done:
                    break
                time.sleep(0.05)
                continue
            break
        else:
            with _suppress():
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)


def _suppress():
    import contextlib

    return contextlib.suppress(ChildProcessError, ProcessLookupError, InterruptedError)


def _run(app, sock, address: str | None, config, access_log: bool, processes: int) -> None:
    import uvicorn

    async def announce_when_ready(scope, receive, send):
        if scope["type"] == "lifespan":

            async def sending(message):
                if message["type"] == "lifespan.startup.complete" and address:
                    plural = "s" if config.workers != 1 else ""
                    shape = f"{config.workers} query worker{plural}"
                    if processes > 1:
                        shape = f"{processes} processes x {shape}"
                    click.echo(
                        f"castgraph serve: listening on {address} "
                        f"({shape}, timeout {config.timeout:g} s); Ctrl-C stops"
                    )
                await send(message)

            await app(scope, receive, sending)
        else:
            await app(scope, receive, send)

    log_config = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "default": {"format": "%(asctime)s %(levelname)s %(message)s"},
            "access": {"format": "%(asctime)s %(message)s"},
        },
        "handlers": {
            "default": {
                "class": "logging.StreamHandler",
                "formatter": "default",
                "stream": "ext://sys.stderr",
            },
            "access": {
                "class": "logging.StreamHandler",
                "formatter": "access",
                "stream": "ext://sys.stderr",
            },
        },
        "loggers": {
            "uvicorn": {"handlers": ["default"], "level": "WARNING", "propagate": False},
            "uvicorn.error": {"level": "WARNING"},
            "uvicorn.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
        },
    }
    server = uvicorn.Server(
        uvicorn.Config(
            announce_when_ready,
            lifespan="on",
            log_config=log_config,
            access_log=access_log,
            server_header=False,
            timeout_graceful_shutdown=3,
            limit_concurrency=1024,
            backlog=2048,
        )
    )
    import contextlib

    with contextlib.suppress(KeyboardInterrupt):  # uvicorn re-raises the Ctrl-C it handled
        server.run(sockets=[sock])
    if getattr(server, "started", False):
        if address:
            click.echo("castgraph serve: stopped", err=True)
        return
    from castgraph.errors import EXIT_ENVIRONMENT, CastgraphError

    problem = CastgraphError("the server did not start (see the lines above)")
    problem.exit_code = EXIT_ENVIRONMENT
    raise problem
