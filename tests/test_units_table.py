"""The unit table equals the facts derived from DBpedia's ``OntologyDatatypes.scala``."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from extractors.units import DIMENSIONS, dimension_by_name, unit_by_name


@pytest.fixture(scope="module")
def derived(shared_data: Path) -> dict:
    path = shared_data / "dbpedia" / "units_derived_from_OntologyDatatypes.json"
    return json.loads(path.read_text(encoding="utf-8"))


def test_dimensions_in_order(derived: dict) -> None:
    assert [d.name for d in DIMENSIONS] == [d["dimension"] for d in derived["dimensions"]]
    assert len(DIMENSIONS) == 23
    assert sum(len(d.units) for d in DIMENSIONS) == 337


def test_every_unit_equals_the_derived_table(derived: dict) -> None:
    for expected_dimension in derived["dimensions"]:
        dimension = dimension_by_name(expected_dimension["dimension"])
        assert dimension is not None
        assert len(dimension.units) == len(expected_dimension["units"])
        standard = [u["name"] for u in expected_dimension["units"] if u["kind"] == "standard"]
        assert (dimension.standard_unit.name if dimension.standard_unit else None) == (
            standard[0] if standard else None
        )
        for unit, expected in zip(dimension.units, expected_dimension["units"], strict=True):
            assert unit.name == expected["name"]
            assert unit.kind == expected["kind"]
            assert list(unit.labels) == expected["labels"]
            assert unit.factor == expected.get("factor")
            assert unit.offset == expected.get("offset")
            assert unit.dimension is dimension
            assert unit_by_name(unit.name) is unit
            assert unit.iri == "http://dbpedia.org/datatype/" + expected["name"]
            for label in expected["labels"]:
                assert dimension.lookup(label) is unit


def test_label_lookup_exact_then_lower_cased() -> None:
    energy = dimension_by_name("Energy")
    assert energy is not None
    assert energy.lookup("MWh") is unit_by_name("megawattHour")
    assert energy.lookup("mWh") is unit_by_name("milliwattHour")
    area = dimension_by_name("Area")
    assert area is not None
    assert area.lookup("Km²") is unit_by_name("squareKilometre")
    assert area.lookup("Square Yard") is unit_by_name("squareYard")
    currency = dimension_by_name("Currency")
    assert currency is not None
    assert currency.lookup("euro") is None  # only "Euro" is a label; lower-casing cannot help
    assert unit_by_name("nonsense") is None and dimension_by_name("nonsense") is None


def test_conversions_use_decimal_arithmetic() -> None:
    km2 = unit_by_name("squareKilometre")
    assert km2 is not None and km2.to_standard(891.7) == Decimal("891700000.0")
    assert km2.from_standard(Decimal("891700000.0")) == Decimal("891.7")
    fahrenheit = unit_by_name("degreeFahrenheit")
    assert fahrenheit is not None
    assert float(fahrenheit.to_standard(32)) == pytest.approx(273.15)
    assert float(fahrenheit.from_standard(fahrenheit.to_standard(212))) == pytest.approx(212)
    metre = unit_by_name("metre")
    assert metre is not None and metre.to_standard(34) == 34
    euro = unit_by_name("euro")
    assert euro is not None and not euro.convertible
    with pytest.raises(ValueError):
        euro.to_standard(5)
