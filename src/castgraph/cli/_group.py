"""The click group of ``castgraph``: commands are the modules of ``castgraph.cli``, imported when run."""

from __future__ import annotations

import importlib
import os

import click

from castgraph import __version__
from castgraph.cli._failure import failure_code

EPILOG = """\b
Exit codes:
  0  success (data conforms, no difference)
  1  the check found a problem (validation failed, diff found changes)
  2  usage error (unknown option or value)
  3  bad input (a malformed data file, unknown name, bad parameter): file:line: message
  4  environment problem (a program or port missing)
  5  internal error (re-run with --debug for the traceback)
"""


class LazyGroup(click.Group):
    """Finds commands as modules of ``castgraph.cli`` exposing ``command``."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        from castgraph.cli import __path__

        # os.listdir, not pkgutil: pkgutil alone costs more start-up time than a short query
        names = {
            entry.removesuffix(".py")
            for folder in __path__
            for entry in os.listdir(folder)
            if entry.endswith(".py") and not entry.startswith("_")
        }
        return sorted(name.replace("_", "-") for name in names)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in self.list_commands(ctx):
            return None
        module = importlib.import_module(f"castgraph.cli.{name.replace('-', '_')}")
        return module.command


@click.group(cls=LazyGroup, epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="castgraph")
@click.option("--debug", is_flag=True, help="Show tracebacks for internal errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Build, check, query, export and draw the CAST knowledge graph.

    Start with `castgraph build`: it reads data/, validates the graph and writes dist/.
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


def run_click(argv: list[str]) -> int:
    """Run the command line ``argv`` through click; its exit code (errors as one line on stderr)."""
    debug = "--debug" in argv
    try:
        code = cli.main(args=argv, standalone_mode=False, prog_name="castgraph")
    except click.exceptions.Exit as done:
        return done.exit_code
    except click.ClickException as error:
        error.show()
        return error.exit_code
    except click.Abort:  # Ctrl-C (click turns KeyboardInterrupt into Abort): 128 + SIGINT
        click.echo("interrupted", err=True)
        return 130
    except Exception as error:  # ours, a damaged store, or the last line of defence
        return failure_code(error, debug)
    # Without standalone mode click returns the code of a raised Exit instead of exiting.
    return code if isinstance(code, int) else 0
