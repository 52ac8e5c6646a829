"""Text and tables → findings: entity type, place, score, masked excerpt; record counting.

Knows nothing of files, mail or policy. Public surface: ``Detector``, ``Detection``,
``Finding``, ``Explanation``, ``Registry``, ``default_registry``, ``normalize``, and the
entity names in ``sekisho.detect.entities``.
"""

from sekisho.detect.analyzer import Detector
from sekisho.detect.detection import Detection
from sekisho.detect.finding import Explanation, Finding
from sekisho.detect.inputs import cell_text
from sekisho.detect.normalize import NormalizedText, normalize
from sekisho.detect.recognizer import Pattern, Recognizer
from sekisho.detect.registry import Registry, default_registry

__all__ = [
    "Detection",
    "Detector",
    "Explanation",
    "Finding",
    "NormalizedText",
    "Pattern",
    "Recognizer",
    "Registry",
    "cell_text",
    "default_registry",
    "normalize",
]
