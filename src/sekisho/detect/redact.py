"""A short text with every personal value masked in place: for subjects, file names and
display names shown to approvers and senders before anyone opens the original
("山田 太郎様の件" → "山田 **様の件").

Masking is wider than reporting: a value is masked when it would be reported, and also
when its check digit or numbering plan holds even without the context a report needs
(``名簿_123456789018.xlsx``: a valid My Number in a file name has no label, and must
not be shown in full anyway). A harmless number masked by mistake costs nothing; a
resident's number shown costs a report to the PPC.
"""

from __future__ import annotations

from sekisho.detect.analyzer import Detector
from sekisho.detect.entities import (
    ADDRESS,
    CARE_LEVEL,
    DATE_OF_BIRTH,
    GENDER,
    HEALTH_INFO,
    PERSON_NAME,
)
from sekisho.detect.normalize import normalize

_DESCRIPTIVE = frozenset({DATE_OF_BIRTH, PERSON_NAME, ADDRESS, GENDER, CARE_LEVEL, HEALTH_INFO})


def redact(detector: Detector, text: str) -> str:
    """``text`` with each personal value replaced by its masked excerpt (NFKC-normalised
    where anything was found: the offsets are in the normalised text)."""
    norm = normalize(text).text
    spans = [(h.candidate.start, h.candidate.end, h.recognizer) for h in detector.hits(norm, "")]
    for recognizer in detector.registry:
        if recognizer.entity in _DESCRIPTIVE:
            continue  # a date or a word validates too easily to be masked without context
        for candidate in recognizer.candidates(norm):
            if recognizer.validate(candidate.value) is True:
                spans.append((candidate.start, candidate.end, recognizer))
    if not spans:  # shown as the sender wrote it (full-width brackets and all)
        return text
    kept: list[tuple[int, int, object]] = []
    for start, end, recognizer in sorted(spans, key=lambda s: (-(s[1] - s[0]), s[0])):
        if all(end <= k[0] or start >= k[1] for k in kept):
            kept.append((start, end, recognizer))
    out, position = [], 0
    for start, end, recognizer in sorted(kept, key=lambda s: s[0]):
        out.append(norm[position:start])
        out.append(recognizer.mask(norm[start:end]))  # type: ignore[attr-defined]
        position = end
    out.append(norm[position:])
    return "".join(out)
