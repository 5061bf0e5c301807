"""The commands: kb import|diff|validate, train, evaluate, deploy, rollback, failures export."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)

from maintenance.settings import Settings

if TYPE_CHECKING:
    from maintenance.evaluation import Evaluation

app = typer.Typer(
    help="Bring the assistant up to date: knowledge base, model, deployment.", no_args_is_help=True
)
kb = typer.Typer(help="The knowledge base: import, diff, validate.", no_args_is_help=True)
failures_app = typer.Typer(help="Messages the assistant could not handle.", no_args_is_help=True)
app.add_typer(kb, name="kb")
app.add_typer(failures_app, name="failures")
console = Console(soft_wrap=True)


def _progress() -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    )


def _fail(message: str) -> typer.Exit:
    console.print(f"[red]{message}[/red]")
    return typer.Exit(1)


@kb.command("import")
def kb_import(
    snapshot: Annotated[
        Path | None, typer.Option("--snapshot", help="a whole new snapshot (.jsonl.gz)")
    ] = None,
    procedure: Annotated[
        Path | None,
        typer.Option(
            "--procedure", help="procedures exported from the portal (JSON object, list, or JSON lines)"
        ),
    ] = None,
    snapshot_date: Annotated[str, typer.Option(help="when the portal was read (YYYY-MM)")] = time.strftime(
        "%Y-%m"
    ),
) -> None:
    """Import a new snapshot or procedures exported from the portal; live within a second, no restart."""
    from maintenance import kb_import as importing

    if (snapshot is None) == (procedure is None):
        raise _fail("give either --snapshot FILE or --procedure FILE")
    settings = Settings()
    try:
        if snapshot is not None:
            with _progress() as progress:
                task = progress.add_task("Đọc snapshot", total=None)
                changes = importing.import_snapshot(
                    settings,
                    snapshot,
                    snapshot_date,
                    lambda done, total: progress.update(task, completed=done, total=total),
                )
        else:
            assert procedure is not None
            changes = importing.import_procedures(settings, procedure, snapshot_date)
    except (OSError, ValueError, KeyError) as error:
        raise _fail(f"nothing imported: {error}") from error
    console.print(f"Imported into {settings.procedures}; the previous version is kept for `kb diff`.")
    for line in changes.lines():
        console.print(line, highlight=False)


@kb.command("diff")
def kb_diff(
    against: Annotated[
        str | None,
        typer.Option(
            "--against", help="a git revision (HEAD, a tag ...) instead of the copy kept by the last import"
        ),
    ] = None,
    previous: Annotated[Path | None, typer.Option("--previous", help="an earlier procedures.jsonl")] = None,
) -> None:
    """What changed: new, removed, and changed fees, time limits, documents and agencies."""
    from knowledge.base import read_procedures
    from knowledge.diff import diff
    from maintenance import kb_history

    settings = Settings()
    try:
        if against is not None:
            before = kb_history.at_revision(settings, against)
            label = f"git {against}"
        else:
            path = previous or kb_history.previous(settings)
            if path is None:
                raise _fail("no earlier version kept yet (run `kb import` first, or use --against HEAD)")
            before, label = read_procedures(path), str(path)
    except ValueError as error:
        raise _fail(str(error)) from error
    console.print(f"So với {label}:", highlight=False)
    for line in diff(before, read_procedures(settings.procedures)).lines():
        console.print(line, highlight=False)


@kb.command("validate")
def kb_validate(show_all: bool = typer.Option(False, "--all", help="list every procedure")) -> None:
    """Report what the import could not read, and whether the 95% parsing target is met."""
    from knowledge.base import read_procedures
    from knowledge.validation import report

    lines, ok = report(read_procedures(Settings().procedures), show_all=show_all)
    for line in lines:
        console.print(line, highlight=False)
    if not ok:
        raise typer.Exit(1)


@app.command()
def train(force: bool = typer.Option(False, help="train even when Rasa finds nothing changed")) -> None:
    """Train a new timestamped model into models/ (the knowledge base itself needs no retraining)."""
    from maintenance import training

    settings = Settings()
    with _progress() as progress:
        steps = progress.add_task("Huấn luyện (Rasa)", total=None)
        epochs = progress.add_task("DIET epochs", total=None, visible=False)

        def on_epoch(done: int, total: int) -> None:
            progress.update(epochs, completed=done, total=total, visible=True)

        model = training.train(
            settings,
            force=force,
            on_line=lambda line: progress.update(steps, description=f"Huấn luyện: {line[:60]}"),
            on_epoch=on_epoch,
        )
        progress.update(steps, description="Huấn luyện xong", total=1, completed=1)
    if model is None:
        console.print(
            "Nothing changed since the last model (config, domain, data): no new model. Use --force."
        )
        return
    console.print(f"New model: {model}\nNext: python -m maintenance evaluate {model}")


def _model_or_latest(model: Path | None) -> Path:
    from maintenance import training

    chosen = model or training.latest_model(Settings())
    if chosen is None or not chosen.exists():
        raise _fail(f"no model file {chosen or 'in models/'}")
    return chosen


def _evaluate(model: Path, conversations: bool) -> Evaluation:
    from maintenance.evaluation import evaluate_model

    with _progress() as progress:
        progress.add_task(f"Đánh giá {model.name}", total=None)
        return evaluate_model(Settings(), model, conversations=conversations)


def _print_scores(evaluation: Evaluation) -> None:
    console.print(
        f"intent accuracy {evaluation.intent_accuracy:.3f}, procedure top-1 {evaluation.procedure_top1:.3f}"
        + (
            f", conversation tests {evaluation.conversation_accuracy:.3f}"
            f" ({evaluation.conversations.get('correct')}/{evaluation.conversations.get('total')})"
            if evaluation.conversation_accuracy is not None
            else ""
        )
        + f"\nreport: {evaluation.report_dir}/report.md, confusion.png",
        highlight=False,
    )


@app.command()
def evaluate(
    model: Annotated[Path | None, typer.Argument(help="model file (default: the newest in models/)")] = None,
    conversations: Annotated[bool, typer.Option(help="also run the conversation tests")] = True,
) -> None:
    """Held-out NLU set and conversation tests; writes scores.json, report.md and confusion.png."""
    _print_scores(_evaluate(_model_or_latest(model), conversations))


@app.command()
def deploy(
    model: Annotated[Path | None, typer.Argument(help="model file (default: the newest in models/)")] = None,
    tolerance: Annotated[
        float, typer.Option(help="how much lower than the running model a figure may be")
    ] = 0.01,
    conversations: Annotated[bool, typer.Option(help="gate on the conversation tests too")] = True,
) -> None:
    """Swap the running Rasa's model (PUT /model), only if its scores pass the gates."""
    from maintenance import deployment
    from maintenance.evaluation import stored

    settings = Settings()
    candidate_file = _model_or_latest(model)
    server = deployment.RasaServer(settings.rasa_url, settings.rasa_token)
    try:
        running_name = server.running_model()
    except deployment.DeployError as error:
        raise _fail(str(error)) from error
    candidate = stored(settings, candidate_file)
    if candidate is None or (conversations and candidate.conversation_accuracy is None):
        candidate = _evaluate(candidate_file, conversations)
    running = deployment.running_scores(settings, running_name)
    if running is None:
        running_file = _find_model(settings, running_name)
        if running_file is None:
            raise _fail(f"the running model {running_name!r} is not in {settings.models_dir}: cannot compare")
        running = stored(settings, running_file) or _evaluate(running_file, conversations)
    console.print(
        f"Candidate {candidate_file.name} against the running model {running_name}:", highlight=False
    )
    results = deployment.gates(candidate, running, tolerance)
    for gate in results:
        console.print(gate.line(), highlight=False)
    if not all(gate.passed for gate in results):
        raise _fail("not deployed: the candidate is worse than the running model")
    if Path(running_name).name == candidate_file.name:
        console.print("That model is already running.")
        return
    with _progress() as progress:
        progress.add_task("PUT /model", total=None)
        try:
            if deployment.running_scores(settings, running_name) is None:
                # First deployment through this CLI: keep a copy of the running model (make train rewrites
                # models/current.tar.gz) and record it, so that rollback can return to it.
                found = _find_model(settings, running_name)
                assert found is not None  # checked above: its scores were measured
                deployment.record_deployment(
                    settings, deployment.keep_copy(settings, found), running, "found running"
                )
            server.load(candidate_file)
        except deployment.DeployError as error:
            raise _fail(str(error)) from error
    deployment.record_deployment(settings, candidate_file, candidate, "deploy")
    console.print(f"Deployed {candidate_file}; recorded in {settings.deployed_record}.")


def _find_model(settings: Settings, name: str) -> Path | None:
    for path in (Path(name), settings.models_dir / Path(name).name):
        if path.is_file():
            return path
    return None


@app.command()
def rollback() -> None:
    """Put the previously deployed model back (PUT /model)."""
    from maintenance import deployment

    settings = Settings()
    previous = deployment.previous_deployment(settings)
    if previous is None:
        raise _fail(f"no earlier deployment in {settings.deployed_record}")
    server = deployment.RasaServer(settings.rasa_url, settings.rasa_token)
    with _progress() as progress:
        progress.add_task(f"PUT /model {Path(previous['model']).name}", total=None)
        try:
            server.load(Path(previous["model"]))
        except deployment.DeployError as error:
            raise _fail(str(error)) from error
    deployment.record_rollback(settings)
    console.print(f"Rolled back to {previous['model']}.")


@failures_app.command("export")
def failures_export(
    out: Annotated[Path | None, typer.Option("--out", help="write the YAML here (default: print it)")] = None,
) -> None:
    """Messages the bot fell back on or handed over, as candidate training examples (Rasa NLU YAML)."""
    import redis

    from maintenance.failures import export

    settings = Settings()
    try:
        text, count = export(settings, out)
    except redis.RedisError as error:
        raise _fail(
            f"Redis at {settings.redis_host}:{settings.redis_port} db {settings.failures_db}: {error}"
        ) from error
    if out is None:
        console.print(text, highlight=False, markup=False)
    else:
        console.print(f"{count} messages written to {out}")
