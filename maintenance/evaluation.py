"""`evaluate`: a model on the held-out NLU set and the conversation tests, written to a report folder.

The NLU figures come from bot.evaluation (the same code and numbers as `make bench-nlu`): intent
accuracy and procedure top-1 over tests/nlu/heldout.yml. The conversation tests are
`rasa test core --e2e --stories tests/conversations`. The report folder holds scores.json,
report.md, confusion.png and Rasa's story report.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
import warnings
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from maintenance.settings import Settings

if TYPE_CHECKING:
    from bot.evaluation import Figures, Parsed

SCORES_FILE = "scores.json"


@dataclass
class Evaluation:
    """A model's scores; `conversation_accuracy` is None when the conversation tests were skipped."""

    model: str
    intent_accuracy: float
    procedure_top1: float
    macro_f1: float
    examples: int
    conversation_accuracy: float | None = None
    conversations: dict[str, Any] = field(default_factory=dict)
    per_intent: dict[str, dict[str, float]] = field(default_factory=dict)
    evaluated_at: str = ""
    report_dir: str = ""

    def gated(self) -> dict[str, float]:
        """The figures the deployment gates compare."""
        figures = {"intent_accuracy": self.intent_accuracy, "procedure_top1": self.procedure_top1}
        if self.conversation_accuracy is not None:
            figures["conversation_accuracy"] = self.conversation_accuracy
        return figures

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Evaluation:
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


def report_dir_for(settings: Settings, model: Path) -> Path:
    """Where the report of a model goes: one folder per model file."""
    return settings.reports_dir / model.name.removesuffix(".tar.gz")


def stored(settings: Settings, model: Path) -> Evaluation | None:
    """The evaluation already written for this model file, if it is newer than the file."""
    path = report_dir_for(settings, model) / SCORES_FILE
    try:
        if path.stat().st_mtime < model.stat().st_mtime:
            return None
        return Evaluation.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None


def per_intent(pairs: list[tuple[str, str]]) -> dict[str, dict[str, float]]:
    """Precision, recall, F1 and support of each gold intent."""
    scores: dict[str, dict[str, float]] = {}
    for label in sorted({gold for gold, _ in pairs}):
        tp = sum(1 for g, p in pairs if g == label and p == label)
        fp = sum(1 for g, p in pairs if g != label and p == label)
        fn = sum(1 for g, p in pairs if g == label and p != label)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        scores[label] = {"precision": precision, "recall": recall, "f1": f1, "support": tp + fn}
    return scores


def evaluate_nlu(model: Path, heldout: Path, out: Path) -> tuple[Figures, list[Parsed]]:
    """The held-out figures (bot.evaluation; its printed table goes to nlu_bench.txt)."""
    from bot.evaluation import figures, parse_all, table
    from knowledge.judged import messages

    parsed = parse_all(model, messages(heldout))
    (out / "nlu_bench.txt").write_text("\n".join(table(str(heldout), parsed)) + "\n", encoding="utf-8")
    return figures(parsed), parsed


def evaluate_conversations(settings: Settings, model: Path, out: Path) -> dict[str, Any]:
    """Run Rasa's conversation tests on the model; their story report's conversation accuracy."""
    stories_out = out / "conversations"
    env = {**os.environ, "PYTHONPATH": str(settings.root), "RASA_TELEMETRY_ENABLED": "false"}
    run = subprocess.run(
        [str(settings.root / ".venv" / "rasa" / "bin" / "rasa"), "test", "core", "--e2e",
         "--model", str(model), "--stories", str(settings.conversations), "--out", str(stories_out),
         "--endpoints", str(settings.root / "bot" / "endpoints.yml")],
        cwd=settings.root, env=env, capture_output=True, check=False,
    )  # fmt: skip
    (out / "conversations.log").write_bytes(run.stdout + run.stderr)
    try:
        story_report = json.loads((stories_out / "story_report.json").read_text(encoding="utf-8"))
        return dict(story_report["conversation_accuracy"])
    except (OSError, ValueError, KeyError) as error:
        raise RuntimeError(f"the conversation tests did not run (see {out / 'conversations.log'})") from error


def confusion_png(results: list[Parsed], path: Path) -> None:
    """The intent confusion matrix of the held-out set (rows gold, columns predicted), as a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    pairs = [(r.judged.intent, r.intent or "(none)") for r in results]
    labels = sorted({g for g, _ in pairs} | {p for _, p in pairs})
    index = {label: i for i, label in enumerate(labels)}
    counts = Counter(pairs)
    matrix = [[counts[(gold, predicted)] for predicted in labels] for gold in labels]
    size = max(6.0, 0.45 * len(labels))
    figure, axes = plt.subplots(figsize=(size + 2, size))
    image = axes.imshow(matrix, cmap="Blues")
    axes.set_xticks(range(len(labels)), labels=labels, rotation=90, fontsize=7)
    axes.set_yticks(range(len(labels)), labels=labels, fontsize=7)
    axes.set_xlabel("predicted intent")
    axes.set_ylabel("gold intent")
    for (gold, predicted), count in counts.items():
        axes.text(index[predicted], index[gold], str(count), ha="center", va="center", fontsize=6)
    figure.colorbar(image, ax=axes, shrink=0.6)
    axes.set_title(f"Held-out intents ({len(pairs)} messages)")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def markdown(evaluation: Evaluation) -> str:
    lines = [
        f"# Evaluation of {evaluation.model}",
        "",
        f"Evaluated {evaluation.evaluated_at} on {evaluation.examples} held-out messages.",
        "",
        "| figure | value |",
        "|---|---|",
        f"| intent accuracy | {evaluation.intent_accuracy:.3f} |",
        f"| intent macro-F1 | {evaluation.macro_f1:.3f} |",
        f"| procedure top-1 | {evaluation.procedure_top1:.3f} |",
    ]
    if evaluation.conversation_accuracy is not None:
        total = evaluation.conversations.get("total", 0)
        correct = evaluation.conversations.get("correct", 0)
        lines.append(f"| conversation tests | {evaluation.conversation_accuracy:.3f} ({correct}/{total}) |")
    lines += ["", "## Per intent", "", "| intent | precision | recall | F1 | n |", "|---|---|---|---|---|"]
    for intent, score in evaluation.per_intent.items():
        lines.append(
            f"| {intent} | {score['precision']:.3f} | {score['recall']:.3f} | {score['f1']:.3f} "
            f"| {int(score['support'])} |"
        )
    lines += ["", "![confusion matrix](confusion.png)", ""]
    return "\n".join(lines)


def evaluate_model(settings: Settings, model: Path, *, conversations: bool = True) -> Evaluation:
    """Evaluate a model file and write its report folder; returns the scores."""
    with warnings.catch_warnings():
        # Rasa 3.6's pinned libraries warn about their own deprecations: noise in a maintainer's report.
        warnings.simplefilter("ignore")
        return _evaluate_model(settings, model, conversations)


def _evaluate_model(settings: Settings, model: Path, conversations: bool) -> Evaluation:
    out = report_dir_for(settings, model)
    out.mkdir(parents=True, exist_ok=True)
    figures, results = evaluate_nlu(model, settings.heldout, out)
    pairs = [(r.judged.intent, r.intent) for r in results]
    evaluation = Evaluation(
        model=str(model),
        intent_accuracy=figures.intent_accuracy,
        procedure_top1=figures.procedure_top1,
        macro_f1=figures.macro_f1,
        examples=len(results),
        per_intent=per_intent(pairs),
        evaluated_at=time.strftime("%Y-%m-%d %H:%M:%S"),
        report_dir=str(out),
    )
    if conversations:
        evaluation.conversations = evaluate_conversations(settings, model, out)
        evaluation.conversation_accuracy = float(evaluation.conversations["accuracy"])
    confusion_png(results, out / "confusion.png")
    (out / "report.md").write_text(markdown(evaluation), encoding="utf-8")
    (out / SCORES_FILE).write_text(
        json.dumps(evaluation.to_dict(), indent=2, ensure_ascii=False), encoding="utf-8"
    )
    return evaluation
