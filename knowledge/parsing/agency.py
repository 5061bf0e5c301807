"""Names the agency that handles a procedure in post-1 July 2025 terms.

On 1/7/2025 Vietnam abolished the district level (cấp huyện: UBND huyện, Công an huyện, Phòng … cấp
huyện) and the thị trấn; their procedures moved to the commune (cấp xã) or the province (cấp tỉnh).
The rewrite is deliberately narrow: only "cấp huyện" and "<UBND|Ủy ban nhân dân|Công an> huyện" are
renamed, to "cấp xã" when the procedure is carried out at Cấp xã, else to "cấp tỉnh"; bodies with no
commune-level office (Bảo hiểm xã hội, Kho bạc, Chi cục …) always go to "cấp tỉnh"; "thị trấn" is
dropped from "xã, phường, thị trấn". Every other mention of an abolished body is left as written and
reported as an issue, so that a maintainer decides. The source text is kept in `agency_source`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from knowledge.parsing import clean, squash

DISTRICT_LEVEL = re.compile(r"cấp huyện", re.IGNORECASE)
DISTRICT_BODY = re.compile(r"\b(UBND|Ủy ban nhân dân|Công an) huyện\b", re.IGNORECASE)
NO_COMMUNE_OFFICE = re.compile(r"(Bảo hiểm xã hội|Kho bạc|Chi cục[^,]*?) cấp huyện", re.IGNORECASE)
TOWNSHIP = re.compile(r",\s*thị trấn\b", re.IGNORECASE)
# Mentions of bodies that no longer exist; for the agency they are rewritten when possible, in
# other fields they are only reported.
ABOLISHED = re.compile(
    r"cấp huyện|\b(?:UBND|Ủy ban nhân dân|Công an|Chi cục [Tt]huế|Phòng [^,;.]{1,40}) huyện\b"
    r"|\bthị trấn\b|Phòng Tư [Pp]háp",
    re.IGNORECASE,
)
# Spelling variants the portal mixes; normalised so that the same body reads the same everywhere.
SPELLING = (
    (re.compile(r"Uỷ", re.IGNORECASE), "Ủy"),
    (re.compile(r"Ủy ban nhân dân", re.IGNORECASE), "Ủy ban nhân dân"),
    (re.compile(r"\bcấp (Tỉnh|Xã|Huyện|Bộ)\b"), lambda m: f"cấp {m.group(1).lower()}"),
    (re.compile(r"\bBộ tài chính\b"), "Bộ Tài chính"),
)


def agency_source(record: dict[str, str]) -> str:
    """The portal's agency text: the implementing agency, else the competent one."""
    implementing = squash(clean(record.get("co_quan_thuc_hien")))
    return implementing or squash(clean(record.get("co_quan_co_tham_quyen")))


def modern_agency(source: str, levels: Sequence[str]) -> tuple[str, tuple[str, ...]]:
    """The agency in post-2025 terms and issues about abolished bodies the source names."""
    text = normalise(source)
    if not text:
        return "", ()
    issues: list[str] = []
    named = sorted({m.group(0) for m in ABOLISHED.finditer(text)})
    if not named:
        return text, ()
    target = "cấp xã" if "Cấp xã" in levels else "cấp tỉnh"
    rewritten = NO_COMMUNE_OFFICE.sub(lambda m: f"{m.group(1)} cấp tỉnh", text)
    rewritten = DISTRICT_LEVEL.sub(target, rewritten)
    rewritten = DISTRICT_BODY.sub(lambda m: f"{normalise(m.group(1))} {target}", rewritten)
    rewritten = TOWNSHIP.sub("", rewritten)
    rewritten = _dedupe(rewritten)
    issues.append(
        f"agency: source names bodies abolished on 1/7/2025 ({', '.join(named)}); read as '{rewritten}'"
    )
    return rewritten, tuple(issues)


def abolished_mentions(field: str, text: str) -> tuple[str, ...]:
    """An issue when free text still names a body abolished on 1/7/2025."""
    named = sorted({m.group(0).lower() for m in ABOLISHED.finditer(text)})
    if not named:
        return ()
    return (f"{field}: text names bodies abolished on 1/7/2025 ({', '.join(named)})",)


def normalise(text: str) -> str:
    text = squash(text).rstrip(". ")
    for pattern, replacement in SPELLING:
        text = pattern.sub(replacement, text)  # type: ignore[arg-type]
    return text


def _dedupe(text: str) -> str:
    # "Bảo hiểm xã hội cấp tỉnh, Bảo hiểm xã hội cấp huyện" becomes one body after the rewrite.
    parts: list[str] = []
    for part in (p.strip() for p in text.split(",")):
        if part and part not in parts:
            parts.append(part)
    return ", ".join(parts)
