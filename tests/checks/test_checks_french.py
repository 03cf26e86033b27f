"""French formats (frformat, python-stdnum): SIREN, SIRET, COG codes, postcode, FANTOIR, GPS points."""
from __future__ import annotations

import pytest

from checks_helpers import findings, schema_error


@pytest.mark.parametrize("name, code", [("siren", "french-siren-value"), ("french-siren-value", "french-siren-value")])
def test_siren(write_csv, name, code):
    checks = [{"name": name, "params": {"column": "s"}}]
    assert findings(write_csv, "s\n732829320\n732829321\n73282932\n\n", ["s"], checks) == [
        (code, 3, "s", "732829321"), (code, 4, "s", "73282932")]


@pytest.mark.parametrize("name", ["siret", "french-siret-value"])
def test_siret(write_csv, name):
    checks = [{"name": name, "params": {"column": "s"}}]
    assert findings(write_csv, "s\n73282932000074\n73282932000075\n", ["s"], checks) == [
        ("french-siret-value", 3, "s", "73282932000075")]


def test_commune_insee_by_vintage(write_csv):
    csv = "c\n75056\n2A004\n99999\n75100\n"
    for version in ("2023", "2024", "latest", None):
        params = {"column": "c"} if version is None else {"column": "c", "version": version}
        assert [f[1] for f in findings(write_csv, csv, ["c"], [{"name": "code-commune-insee", "params": params}])] == [4, 5]
    note = schema_error(write_csv, csv, ["c"], [{"name": "code-commune-insee", "params": {"column": "c", "version": "1999"}}])
    assert "no COG '1999'" in note and "2024" in note


def test_commune_merged_between_vintages(write_csv):
    """A commune code that exists in one COG vintage and not in the other is caught by the version."""
    from frformat.formats.code_commune_insee_frozenset import CODES_COMMUNES_INSEE_COG_2023 as c23
    from frformat.formats.code_commune_insee_frozenset import CODES_COMMUNES_INSEE_COG_2024 as c24

    gone = sorted(c23 - c24)[0]
    csv = f"c\n{gone}\n"
    assert findings(write_csv, csv, ["c"], [{"name": "code-commune-insee", "params": {"column": "c", "version": "2023"}}]) == []
    assert findings(write_csv, csv, ["c"], [{"name": "code-commune-insee", "params": {"column": "c", "version": "2024"}}]) == [
        ("code-commune-insee", 2, "c", gone)]


def test_departement_region(write_csv):
    checks = [{"name": "code-departement", "params": {"column": "d"}}, {"name": "code-region", "params": {"column": "r"}}]
    csv = "d,r\n2A,84\n974,04\n20,99\n"
    assert findings(write_csv, csv, ["d", "r"], checks) == [
        ("code-departement", 4, "d", "20"), ("code-region", 4, "r", "99")]


def test_postcode_fantoir_nomenclature(write_csv):
    checks = [{"name": "code-postal", "params": {"column": "p"}}, {"name": "code-fantoir", "params": {"column": "f"}},
              {"name": "nomenclature-actes-value", "params": {"column": "n"}}]
    csv = "p,f,n\n75001,ZB03A,Urbanisme/Droit de préemption\n00000,1000,Culture/Musées\n"
    assert findings(write_csv, csv, ["p", "f", "n"], checks) == [
        ("code-postal", 3, "p", "00000"), ("code-fantoir", 3, "f", "1000"), ("nomenclature-actes", 3, "n", "Culture/Musées")]


NUM = [{"name": "lat", "type": "number"}, {"name": "lon", "type": "number"}, "c"]


def test_gps_in_france_and_swapped(write_csv):
    checks = [{"name": "french-gps-coordinates", "params": {"latitude": "lat", "longitude": "lon"}}]
    csv = "lat,lon,c\n48.85,2.35,x\n2.35,48.85,x\n40.7,-74.0,x\n-21.1,55.5,x\n16.2,-61.5,x\n"
    assert findings(write_csv, csv, NUM, checks) == [
        ("reversed-french-gps-coordinates", 3, "lat", "2.35"), ("french-gps-coordinates", 4, "lat", "40.7")]


@pytest.mark.parametrize("name", ["french-gps-coordinates", "french_gps_coordinates"])
def test_gps_geopoint_column(write_csv, name):
    checks = [{"name": name, "params": {"column": "g"}}]
    csv = 'g\n"2.35,48.85"\n"48.85,2.35"\n"-74,40.7"\n'
    assert findings(write_csv, csv, [{"name": "g", "type": "geopoint"}], checks) == [
        ("reversed-french-gps-coordinates", 3, "g", "48.85,2.35"), ("french-gps-coordinates", 4, "g", "-74,40.7")]


def test_gps_bad_params(write_csv):
    note = schema_error(write_csv, "lat,lon,c\n1,2,3\n", NUM, [{"name": "french-gps-coordinates", "params": {"latitude": "lat"}}])
    assert "'latitude' and 'longitude'" in note


def test_coordinates_in_commune(write_csv):
    checks = [{"name": "coordinates-in-commune", "params": {"latitude": "lat", "longitude": "lon", "commune": "c"}}]
    csv = "lat,lon,c\n48.85,2.35,75056\n-21.1,55.5,97411\n48.85,2.35,97411\n-21.1,55.5,75056\n48.85,2.35,98735\n"
    assert findings(write_csv, csv, NUM, checks) == [
        ("coordinates-in-commune", 4, "c", "97411"), ("coordinates-in-commune", 5, "c", "75056")]
    with_tolerance = [{"name": "coordinates-in-commune",
                       "params": {"latitude": "lat", "longitude": "lon", "commune": "c", "tolerance_km": 50}}]
    assert findings(write_csv, "lat,lon,c\n-21.5,55.5,97411\n", NUM, with_tolerance) == []
    assert findings(write_csv, "lat,lon,c\n-21.5,55.5,97411\n", NUM, checks) == [("coordinates-in-commune", 2, "c", "97411")]
