"""Shared fixtures. Integration tests call ``require(...)``: they skip on a laptop without
the service, and fail in CI where SEKISHO_REQUIRE_INTEGRATION=1 says it must be there."""

from __future__ import annotations

import os

import pytest

from sekisho.detect import Detector
from sekisho.scan import Scanner


def require(available: bool, what: str) -> None:
    if available:
        return
    if os.environ.get("SEKISHO_REQUIRE_INTEGRATION") == "1":
        pytest.fail(f"{what} is required in CI (SEKISHO_REQUIRE_INTEGRATION=1) but missing")
    pytest.skip(f"{what} not available")


@pytest.fixture(scope="session")
def detector() -> Detector:
    return Detector()


@pytest.fixture(scope="session")
def scanner() -> Scanner:
    return Scanner()


def entities_in(detector: Detector, text: str) -> list[str]:
    """Entity types found in ``text`` read as one plain-text part."""
    from sekisho.extract import TextPart

    return [f.entity for f in detector.text(TextPart(text))]
