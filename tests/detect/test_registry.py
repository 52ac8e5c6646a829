import pytest

from sekisho.detect.entities import ALL_ENTITIES, JP_MY_NUMBER
from sekisho.detect.recognizers import ALL_RECOGNIZERS, JpMyNumberRecognizer
from sekisho.detect.registry import Registry, default_registry
from sekisho.errors import DuplicateRecognizerError, RegistryError, SekishoError


def test_default_registry_holds_every_shipped_recognizer_once() -> None:
    registry = default_registry()
    assert len(registry) == len(ALL_RECOGNIZERS)
    assert set(registry.entities) <= set(ALL_ENTITIES)
    assert registry[JP_MY_NUMBER].name == "JpMyNumberRecognizer"


def test_registry_refuses_a_second_recognizer_for_an_entity() -> None:
    registry = Registry([JpMyNumberRecognizer()])
    with pytest.raises(DuplicateRecognizerError, match="JP_MY_NUMBER"):
        registry.register(JpMyNumberRecognizer())
    assert isinstance(DuplicateRecognizerError("x"), SekishoError)


def test_registry_refuses_unknown_entity_types() -> None:
    class Bogus(JpMyNumberRecognizer):
        name = "Bogus"
        entity = "NOT_AN_ENTITY"

    with pytest.raises(RegistryError, match="unknown entity type"):
        Registry([Bogus()])


def test_each_recognizer_lives_in_its_own_module_with_a_docstring() -> None:
    modules = [cls.__module__ for cls in ALL_RECOGNIZERS]
    assert len(set(modules)) == len(modules)
    for cls in ALL_RECOGNIZERS:
        assert cls.__doc__ and len(cls.__doc__) > 40, cls.__name__
        assert cls.__module__.rsplit(".", 1)[1] == cls.entity.lower()
