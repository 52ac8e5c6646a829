"""What policy looks at: the envelope, the visible recipients, and the scan's summary.

Built from a scan report by the caller (the gateway, ``policy check``); policy never
reads the message or its values, only counts, entity types and kinds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sekisho.detect.entities import SENSITIVE
from sekisho.scan import FileReport


@dataclass(frozen=True, slots=True)
class Attachment:
    name: str
    kind: str
    size: int
    flags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class MessageFacts:
    sender: str
    recipients: tuple[str, ...]  # the envelope: who actually receives it
    visible: tuple[str, ...] = ()  # To and Cc: who everybody sees
    size: int = 0
    entities: dict[str, int] = field(default_factory=dict)
    records: int = 0
    unscannable: bool = False
    problems: tuple[str, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    suspicious_names: bool = False
    samples: dict[str, tuple[str, ...]] = field(default_factory=dict)  # masked excerpts only
    images: bool = False  # pictures met (noted, not read)

    @property
    def sensitive(self) -> bool:
        return not SENSITIVE.isdisjoint(self.entities)


def facts_from_report(
    report: FileReport,
    sender: str,
    recipients: list[str],
    visible: list[str],
    size: int,
    attachments: list[Attachment],
) -> MessageFacts:
    samples = report.detection.samples()
    return MessageFacts(
        sender=sender,
        recipients=tuple(recipients),
        visible=tuple(visible),
        size=size,
        entities=dict(report.entities),
        records=report.records,
        unscannable=report.unscannable,
        problems=tuple(p.reason for p in report.problems),
        attachments=tuple(attachments),
        suspicious_names=any(p.code == "suspicious-name" for p in report.problems),
        samples={k: tuple(v) for k, v in samples.items()},
        images=any(n.code == "image" for n in report.notes),
    )
