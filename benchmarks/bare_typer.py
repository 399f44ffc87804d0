"""A bare Typer app of two commands: what `jiesu --help` and `--version` are measured against."""

import typer

app = typer.Typer(help="A bare Typer app.")


@app.command()
def hello(name: str = "world") -> None:
    """Say hello."""
    typer.echo(f"hello {name}")


@app.command()
def bye() -> None:
    """Say goodbye."""
    typer.echo("bye")


if __name__ == "__main__":
    app()
