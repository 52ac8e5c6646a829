"""The scan report: the JSON contract of docs/architecture.md, and the exit status that goes with it.

    {"files": [{"path", "unscannable", "problems": [...], "records",
                "entities": {TYPE: count}, "findings": [{"entity", "location", "score", "excerpt"}]}]}

Only masked excerpts leave this module; ``Finding.key`` is never serialised.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

from sekisho.detect import Detection, Finding
from sekisho.extract import FileInfo, Note, Problem


class ExitStatus(IntEnum):
    """``sekisho scan`` exit codes; when several apply the highest-ranked wins (2 > 3 > 1 > 0)."""

    CLEAN = 0
    FOUND = 1
    USAGE = 2
    UNSCANNABLE = 3


_RANK = {ExitStatus.CLEAN: 0, ExitStatus.FOUND: 1, ExitStatus.UNSCANNABLE: 2, ExitStatus.USAGE: 3}


def worst(*statuses: ExitStatus) -> ExitStatus:
    return max(statuses, key=_RANK.__getitem__, default=ExitStatus.CLEAN)


@dataclass(slots=True)
class FileReport:
    """What one file holds, as far as it could be read."""

    path: str
    kind: str
    detection: Detection
    problems: list[Problem] = field(default_factory=list)
    files: list[FileInfo] = field(default_factory=list)  # every file met, with its kind
    notes: list[Note] = field(default_factory=list)  # met, not read as content (pictures)

    @property
    def unscannable(self) -> bool:
        return bool(self.problems)

    @property
    def attachments(self) -> list[FileInfo]:
        """The attachments of the message itself (not members of an attached zip)."""
        return [f for f in self.files if f.is_attachment]

    @property
    def records(self) -> int:
        return self.detection.records

    @property
    def entities(self) -> dict[str, int]:
        return self.detection.counts

    @property
    def findings(self) -> list[Finding]:
        """Every finding, one by one (expanded on first use: a roster holds tens of thousands)."""
        return self.detection.findings

    @property
    def status(self) -> ExitStatus:
        if self.unscannable:
            return ExitStatus.UNSCANNABLE
        return ExitStatus.FOUND if self.detection else ExitStatus.CLEAN

    def to_dict(self, *, explain: bool = False) -> dict[str, Any]:
        return {
            "path": self.path,
            "unscannable": self.unscannable,
            "problems": [p.to_dict() for p in self.problems],
            "notes": [n.to_dict() for n in self.notes],
            "records": self.records,
            "entities": self.entities,
            "findings": self.detection.finding_dicts(explain=explain),
        }


@dataclass(slots=True)
class ScanReport:
    files: list[FileReport] = field(default_factory=list)

    @property
    def status(self) -> ExitStatus:
        return worst(*(f.status for f in self.files))

    def to_dict(self, *, explain: bool = False) -> dict[str, Any]:
        return {"files": [f.to_dict(explain=explain) for f in self.files]}
