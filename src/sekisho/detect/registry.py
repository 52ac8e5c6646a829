"""Recognizers found by entity type, one each; a second claim is an error, not an override."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cache

from sekisho.detect.entities import ALL_ENTITIES
from sekisho.detect.recognizer import Recognizer
from sekisho.errors import DuplicateRecognizerError, RegistryError


class Registry:
    """An ordered set of recognizers keyed by the entity type each one reports."""

    def __init__(self, recognizers: Iterable[Recognizer] = ()) -> None:
        self._by_entity: dict[str, Recognizer] = {}
        for recognizer in recognizers:
            self.register(recognizer)

    def register(self, recognizer: Recognizer) -> None:
        entity = recognizer.entity
        if entity not in ALL_ENTITIES:
            raise RegistryError(f"{recognizer.name}: unknown entity type {entity!r}")
        if entity in self._by_entity:
            other = self._by_entity[entity].name
            raise DuplicateRecognizerError(
                f"{recognizer.name} and {other} both claim {entity}; keep one per entity type"
            )
        self._by_entity[entity] = recognizer

    def __getitem__(self, entity: str) -> Recognizer:
        return self._by_entity[entity]

    def __contains__(self, entity: object) -> bool:
        return entity in self._by_entity

    def __iter__(self) -> Iterator[Recognizer]:
        return iter(self._by_entity.values())

    def __len__(self) -> int:
        return len(self._by_entity)

    @property
    def entities(self) -> tuple[str, ...]:
        return tuple(self._by_entity)


@cache
def default_registry() -> Registry:
    """Every recognizer shipped with Sekisho."""
    from sekisho.detect.recognizers import ALL_RECOGNIZERS

    return Registry(cls() for cls in ALL_RECOGNIZERS)
