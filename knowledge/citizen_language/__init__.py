"""Citizen language at scale: messages generated from the knowledge base the way citizens write them.

A seeded generator turns each procedure's official name, curated everyday names and the vocabulary
into questions (templates.yml), then writes them in one of the styles citizens use: with diacritics,
without, partly without, with chat abbreviations, with old names, with phone typos, or as a long message
with a story before the question. It feeds the search ranker's training and DIET's training data, and
development sets, never a held-out set. Same seed, same messages.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from knowledge.citizen_language import styles
from knowledge.judged import Judged
from knowledge.model import Procedure
from knowledge.search import names
from knowledge.search import vocabulary_tables as tables
from knowledge.text import normalize, strip_diacritics

TEMPLATES = Path(__file__).resolve().parent / "templates.yml"
STYLES = (
    "formal",
    "informal",
    "unaccented",
    "partly_unaccented",
    "abbreviated",
    "old_names",
    "typos",
    "long",
)
MAX_MENTION_WORDS = 9  # citizens do not type a whole twenty-word official name
MAX_SHARED = 8
CHANNEL_SHARE = 0.12  # of questions that name the channel while asking something else
IMPLICIT_SHARE = 0.4  # of messages about a variant that say what makes it one in a story, not its name


@lru_cache(maxsize=1)
def templates() -> dict[str, Any]:
    data = yaml.safe_load(TEMPLATES.read_text(encoding="utf-8"))
    for key in ("questions", "follow_ups", "openers", "closers", "stories", "details", "verbs", "old_names"):
        if key not in data:
            raise ValueError(f"{TEMPLATES}: missing section {key!r}")
    return data


@dataclass(frozen=True)
class Mention:
    """How a citizen may name a procedure, and every procedure that name fits."""

    text: str
    codes: tuple[str, ...]


def mentions(procedures: Sequence[Procedure]) -> dict[str, list[Mention]]:
    """For each procedure, the ways of naming it: everyday names, short name, its official name's head."""
    by_core: dict[str, list[str]] = {}
    by_name: dict[str, list[str]] = {}
    heads: dict[str, str] = {}
    for procedure in procedures:
        name = names.official(procedure.name)
        core = names.core(name)
        head = " ".join((core if len(core.split()) >= 3 else name).split()[:MAX_MENTION_WORDS]).strip(" ,;")
        heads[procedure.code] = head
        by_core.setdefault(strip_diacritics(names.levelless(strip_diacritics(head))), []).append(
            procedure.code
        )
        by_name.setdefault(strip_diacritics(names.levelless(strip_diacritics(name))), []).append(
            procedure.code
        )
    everyday_holders: dict[str, list[str]] = {}
    for procedure in procedures:
        for everyday in (procedure.short_name, *procedure.everyday_names):
            if everyday:
                everyday_holders.setdefault(strip_diacritics(normalize(everyday)), []).append(procedure.code)
    out: dict[str, list[Mention]] = {}
    for procedure in procedures:
        head = heads[procedure.code]
        found = [Mention(head, tuple(by_core[strip_diacritics(names.levelless(strip_diacritics(head)))]))]
        for everyday in (procedure.short_name, *procedure.everyday_names):
            if everyday:
                holders = everyday_holders[strip_diacritics(normalize(everyday))]
                found.append(Mention(normalize(everyday), tuple(dict.fromkeys(holders))))
        # A name many procedures share ("hải quan") tells none of them apart: not a mention to learn from.
        out[procedure.code] = [m for m in found if len(m.codes) <= MAX_SHARED] or found[:1]
    return out


def fill(text: str, rng: random.Random, data: dict[str, Any], mention: str = "") -> str:
    province = rng.choice(["Hà Nội", "Nghệ An", "Bình Định", "Hà Tây", "Quảng Bình", "Bình Dương", "Cần Thơ",
                           "Đồng Nai", "Thanh Hóa", "Đắk Lắk", "Tiền Giang", "Hải Dương"])  # fmt: skip
    head = " ".join(mention.split()[:4])
    values = {
        "p": mention,
        "p0": head,
        "P0": head[:1].upper() + head[1:],
        "province": province,
        "place": rng.choice(data.get("places") or ["xã"]),
        "country": rng.choice(data.get("countries") or ["Hàn Quốc"]),
        "n": str(rng.randint(2, 9)),
        "age": str(rng.randint(5, 60)),
        "child_age": str(rng.randint(1, 13)),
        "adult_age": str(rng.randint(14, 17)),
    }
    return text.format(**values)


def _details(procedure: Procedure, mention: str, rng: random.Random, data: dict[str, Any]) -> list[str]:
    """Story sentences that point at this procedure's variant (a loss for a re-issue, a child's age ...)."""
    details = data["details"]
    table = tables.load()
    name = names.official(procedure.name)
    plain = strip_diacritics(name)
    found: list[str] = []
    for word, sentences in (details.get("words") or {}).items():
        if normalize(word) in name:
            found += sentences
    for action, sentences in (details.get("actions") or {}).items():
        if action in table.action_marks and table.action_marks[action].found(name):
            found += sentences
    for subject, sentences in (details.get("subjects") or {}).items():
        if subject in table.subject_marks and table.subject_marks[subject].found(name):
            found += sentences
    for mark, sentences in (details.get("variants") or {}).items():
        rules = [v for v in table.variants if v.variant.marks[0].phrase == mark]
        if rules and rules[0].in_name(plain):
            found += sentences
    return [fill(s, rng, data, mention) for s in found]


def implicit(procedure: Procedure, mention: Mention, rng: random.Random) -> tuple[str, str] | None:
    """The mention without what makes it a variant, and a story sentence that says it instead.

    "đăng ký kết hôn có yếu tố nước ngoài" → ("đăng ký kết hôn", "Chồng em là người Hàn Quốc."); "cấp lại
    giấy phép lái xe" → ("giấy phép lái xe", "Hôm trước em làm mất giấy phép lái xe rồi.").
    """
    data = templates()
    table = tables.load()
    details = data["details"]
    text = mention.text
    plain = strip_diacritics(text)
    for rule in table.variants:
        sentences = (details.get("variants") or {}).get(rule.variant.marks[0].phrase)
        if not sentences or not rule.in_name(plain):
            continue
        at = min(plain.find(h) for h in rule.hints if h in plain)
        head = text[:at].strip(" ,")
        for word in sorted(data["dangling"], key=len, reverse=True):
            if head.endswith(" " + word):
                head = head[: -len(word) - 1].strip()
        if len(head.split()) >= 2:
            return head, fill(rng.choice(sentences), rng, data, head)
    for action, sentences in (details.get("actions") or {}).items():
        marks = table.action_marks.get(action)
        if marks is None or not marks.found(text):
            continue
        rest = " ".join(marks.remove(text).split())
        if len(rest.split()) >= 2:
            return rest, fill(rng.choice(sentences), rng, data, rest)
    return None


def message(procedure: Procedure, mention: Mention, intent: str, style: str, rng: random.Random) -> Judged:
    """One generated message about a procedure, asking `intent`, written in `style`."""
    data = templates()
    p = mention.text
    # Only curated procedures: their variants are the citizen's (a spouse abroad, a lost card), where the
    # story sentences fit; an uncurated "khoản vay nước ngoài" is no foreign spouse.
    curated = bool(procedure.short_name or procedure.everyday_names)
    said = implicit(procedure, mention, rng) if curated and rng.random() < IMPLICIT_SHARE else None
    if said is not None:
        p = said[0]
    verbs = tuple(strip_diacritics(v) + " " for v in data["verbs"] if v)
    if rng.random() < 0.3 and not strip_diacritics(p).startswith(verbs):
        verb = rng.choice(data["verbs"])
        p = f"{verb} {p}".strip()
    if intent != "ask_online" and rng.random() < CHANNEL_SHARE:
        p = f"{p} {rng.choice(data['channels'])}"
    question = fill(rng.choice(data["questions"][intent]), rng, data, p)
    opener = rng.choice(data["openers"]) if style != "formal" else rng.choice(["", "xin hỏi", "cho tôi hỏi"])
    closer = rng.choice(data["closers"]) if style != "formal" else ""
    text = " ".join(part for part in (opener, question, closer) if part)
    if said is not None:
        text = said[1] + " " + text
    if style == "long":
        story = [fill(s, rng, data, p) for s in rng.sample(data["stories"], rng.randint(1, 2))]
        details = _details(procedure, mention.text, rng, data) if said is None else []
        if details:
            story.insert(rng.randrange(len(story) + 1), rng.choice(details))
        text = " ".join(story) + " " + text + ("?" if rng.random() < 0.5 else "")
        style_after = rng.choice(["formal", "unaccented", "abbreviated", "typos", "informal"])
    else:
        style_after = style
    text = write(text, style_after, rng)
    return Judged(text, mention.codes, style, intent, "generated")


def write(text: str, style: str, rng: random.Random) -> str:
    """A message written in a style (the words are the same; their spelling is the citizen's)."""
    if style == "unaccented":
        return styles.drop_diacritics(text, rng)
    if style == "partly_unaccented":
        return styles.drop_diacritics(text, rng, share=rng.uniform(0.3, 0.8))
    if style == "abbreviated":
        text = styles.abbreviate(text, rng)
        return styles.drop_diacritics(text, rng, share=rng.choice([0.0, 0.5, 1.0]))
    if style == "old_names":
        text = styles.old_names(text, rng, templates()["old_names"])
        return styles.drop_diacritics(text, rng, share=rng.choice([0.0, 1.0]))
    if style == "typos":
        text = styles.drop_diacritics(text, rng, share=rng.choice([0.0, 0.0, 1.0]))
        return styles.typos(text, rng, rng.randint(1, 3))
    return text


def generate(
    procedures: Iterable[Procedure], per_procedure: int, seed: int, per_curated: int = 0
) -> list[Judged]:
    """Messages about every procedure (`per_curated` more about curated ones), drawn with `seed`."""
    rng = random.Random(seed)
    ordered = sorted(procedures, key=lambda p: p.code)
    named = mentions(ordered)
    intents = list(templates()["questions"])
    out = []
    for procedure in ordered:
        curated = bool(procedure.short_name or procedure.everyday_names)
        for _ in range(per_procedure + (per_curated if curated else 0)):
            mention = rng.choice(named[procedure.code])
            out.append(message(procedure, mention, rng.choice(intents), rng.choice(STYLES), rng))
    return out


def contrasts(procedures: Iterable[Procedure], pairs: int, seed: int) -> list[Judged]:
    """Pairs of messages that differ only by a story sentence which makes the variant.

    "Chồng em là người Nhật. đăng ký kết hôn cần giấy tờ gì" is about the marriage with a foreign element;
    the same question without the first sentence is about the common marriage; the name followed by
    the sentence is how a detail told later in a conversation is read. Only where the common
    procedure exists (a curated procedure whose name or everyday name is the variant's name without its
    mark), so that both labels are real.
    """
    rng = random.Random(seed)
    ordered = sorted(procedures, key=lambda p: p.code)
    named = mentions(ordered)
    by_text: dict[str, set[str]] = {}
    for found in named.values():
        for mention in found:
            by_text.setdefault(strip_diacritics(mention.text), set()).update(mention.codes)
    intents = list(templates()["questions"])
    out = []
    for procedure in ordered:
        if not (procedure.short_name or procedure.everyday_names):
            continue
        for mention in named[procedure.code]:
            said = implicit(procedure, mention, rng)
            if said is None:
                continue
            common = by_text.get(strip_diacritics(said[0]), set()) - set(mention.codes)
            if not common:
                continue
            for _ in range(pairs):
                said = implicit(procedure, mention, rng) or said
                intent, style = rng.choice(intents), rng.choice(STYLES[:-1])
                question = fill(rng.choice(templates()["questions"][intent]), rng, templates(), said[0])
                detail = said[1]
                out.append(
                    Judged(
                        write(detail + " " + question, style, rng), mention.codes, style, intent, "contrast"
                    )
                )
                out.append(
                    Judged(write(question, style, rng), tuple(sorted(common)), style, intent, "contrast")
                )
                # As the assistant reads a detail told later in a conversation: the thread's procedure
                # first, then the citizen's sentence ("Đăng ký kết hôn. Chồng em là người Nhật.").
                out.append(
                    Judged(
                        write(f"{said[0]}. {detail}", style, rng), mention.codes, style, "inform", "contrast"
                    )
                )
            break
    return out


def follow_ups(count: int, seed: int) -> list[Judged]:
    """Questions that name no procedure (asked of the one the conversation is about), in every style."""
    rng = random.Random(seed)
    data = templates()
    out = []
    for _ in range(count):
        intent = rng.choice(list(data["follow_ups"]))
        parts = (rng.choice(["", "thế", "vậy", "còn", "cho hỏi"]), rng.choice(data["follow_ups"][intent]),
                 rng.choice(data["closers"]))  # fmt: skip
        text = " ".join(
            part for part in parts if part
        )  # fmt: skip
        out.append(Judged(write(text, rng.choice(STYLES[:-1]), rng), (), "follow_up", intent, "generated"))
    return out
