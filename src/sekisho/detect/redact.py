"""A short text with every personal value masked in place: for subjects and file names
shown to approvers before they open the original ("山田 太郎様の件" → "山田 **様の件")."""

from __future__ import annotations

from sekisho.detect.analyzer import Detector
from sekisho.detect.normalize import normalize


def redact(detector: Detector, text: str) -> str:
    """``text`` with each finding replaced by its masked excerpt (NFKC-normalised where
    anything was found: the finding's offsets are in the normalised text)."""
    norm = normalize(text).text
    hits = detector.hits(norm, "")
    if not hits:  # shown as the sender wrote it (full-width brackets and all)
        return text
    out, position = [], 0
    for hit in hits:
        start, end = hit.candidate.start, hit.candidate.end
        out.append(norm[position:start])
        out.append(hit.recognizer.mask(hit.candidate.value))
        position = end
    out.append(norm[position:])
    return "".join(out)
