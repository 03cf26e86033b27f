"""French formats with Validata's names: SIREN, SIRET, COG codes, postcodes, FANTOIR, GPS points.

Why frformat: it is the library Validata itself uses, and it ships the official
geographic code (COG) vintages, so a commune code is checked against the list
of a given year (``version``: "2023", "2024" or "latest", the default) instead
of a hand-written table. Each validator runs once per *distinct* value.

Names: Validata renamed ``french-siret-value``/``french-siren-value``/
``nomenclature-actes-value`` to ``siret``/``siren``/``nomenclature-acte``; both
spellings are accepted and report the same error type (Validata's historical
code), so schemas of either generation validate unchanged. Likewise
``french_gps_coordinates`` (underscore, found in published schemas) is an alias
of ``french-gps-coordinates``.
"""
from __future__ import annotations

import functools

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import CHECKS, CheckParamsError, register
from ._common import Check, distinct_valid, finding, np_bool, numbers, text
from ..columnar.arrow import filled_numbers, typed_scalar
from ..rules import check_rule


@functools.lru_cache(maxsize=64)
def frformat_check(name: str, *args):
    """frformat's ``is_valid`` for one of its formats, made once per process.

    Why: a format over a code list (the COG's communes, FANTOIR) normalises the
    whole list when it is made, tens of milliseconds; an audit validates
    thousands of small files against the same schema in one worker.
    """
    import frformat

    return getattr(frformat, name)(*args).is_valid


class FormatCheck(Check):
    """One column whose filled cells must satisfy a format validator (its one rule)."""

    allowed = ("column",)

    def __init__(self, params, fields, context=None):
        super().__init__(params, fields, context)
        self.column = self.field_param("column")
        self.is_valid = self.make_validator()

    def make_validator(self):
        raise NotImplementedError

    def check_batch(self, view):
        if self.column in self.absent:
            return []
        fails = distinct_valid(text(view, self.column), self.is_valid, self.verdicts) & ~view.blank
        return finding(self.code, fails, self.column, note=self.note())

    def note(self) -> str:
        return ""


def format_rule(code, what_en, what_fr, hint_en, hint_fr, cell, column, note="", specific_hint=None):
    """The rule of a format check: "<cell> in <column> is not a valid <what>"."""
    return check_rule(
        code, f"Invalid {what_en}", f"{what_fr[0].upper()}{what_fr[1:]} invalide",
        f"Row {{rowNumber}}: \"{{cell}}\" in {{fieldName}} is not a valid {what_en}{{note}}.",
        f"Ligne {{rowNumber}} : « {{cell}} » dans {{fieldName}} n'est pas un {what_fr} valide{{note}}.",
        hint_en, hint_fr, example={"rowNumber": 2, "fieldName": column, "cell": cell, "note": note},
        specific_hint=specific_hint)


def postcode_hint(finding: dict, field: dict):
    """A French postcode written where an INSEE commune code is expected (38000 for Grenoble's 38185)."""
    cell = str(finding.get("cell") or "").strip()
    if not cell or not frformat_check("CodePostal")(cell):
        return None
    return (f"« {cell} » est un code postal, pas le code INSEE de la commune : cherchez son code INSEE "
            "(5 caractères, comme 38185 pour Grenoble, dont le code postal est 38000) dans le COG.",
            f"\"{cell}\" is a postcode, not the commune's INSEE code: look its INSEE code up in the COG "
            "(5 characters, like 38185 for Grenoble, whose postcode is 38000).")


# -- SIREN / SIRET -----------------------------------------------------------
@register
class Siren(FormatCheck):
    """A valid SIREN (9 digits, Luhn key; python-stdnum via frformat)."""

    name = "siren"
    rules = (format_rule(
        "french-siren-value", "SIREN number", "numéro SIREN",
        "A SIREN has 9 digits and a valid check digit (Luhn); look it up on annuaire-entreprises.data.gouv.fr.",
        "Un SIREN compte 9 chiffres et une clé de contrôle valide (Luhn) ; cherchez-le sur annuaire-entreprises.data.gouv.fr.",
        "123456789", "siren"),)
    example = {"name": "siren", "params": {"column": "siren"}}

    def make_validator(self):
        return frformat_check("Siren")


@register
class FrenchSirenValue(Siren):
    """Validata's former name of ``siren``."""

    name = "french-siren-value"
    replaced_by = "siren"


@register
class Siret(FormatCheck):
    """A valid SIRET (14 digits, Luhn key, La Poste exception; python-stdnum via frformat)."""

    name = "siret"
    rules = (format_rule(
        "french-siret-value", "SIRET number", "numéro SIRET",
        "A SIRET has 14 digits (SIREN + establishment number) and a valid check digit; look it up on annuaire-entreprises.data.gouv.fr.",
        "Un SIRET compte 14 chiffres (SIREN + numéro d'établissement) et une clé de contrôle valide ; cherchez-le sur annuaire-entreprises.data.gouv.fr.",
        "12345678900011", "num_siret"),)
    example = {"name": "siret", "params": {"column": "num_siret"}}

    def make_validator(self):
        return frformat_check("Siret")


@register
class FrenchSiretValue(Siret):
    """Validata's former name of ``siret``."""

    name = "french-siret-value"
    replaced_by = "siret"


# -- COG codes (versioned) -----------------------------------------------------
class CogCheck(FormatCheck):
    """A code (or name) of the official geographic code (COG) of a given vintage.

    The vintage is Validata's ``cog`` parameter ("2023", "2024", "latest"; this
    version of Territoria also knows the vintages frformat bundles, e.g. 2015 to
    2024 for regions), or ``version``, the name Territoria used before; default
    "latest".
    """

    allowed = ("column", "cog", "version")
    format_name = ""

    def make_validator(self):
        import frformat

        cls = getattr(frformat, self.format_name)
        versions = [v.get_id() for v in cls._versioned_valid_values.ls()]
        key = "cog" if "cog" in self.params else "version"
        value = self.params.get(key, "latest")
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise CheckParamsError(f"parameter {key!r} must be a year like \"2024\" or \"latest\" (got {value!r})")
        self.version = str(value).strip()
        if self.version != "latest" and self.version not in versions:
            raise CheckParamsError(
                f"parameter {key!r}: no COG {self.version!r} for this code (available: {', '.join(versions)}, latest)")
        if self.version == "latest":
            self.version = max(versions)
        return frformat_check(self.format_name, self.version)

    def note(self) -> str:
        return f" (COG {self.version})"


_COG_CODES = [
    ("code-commune-insee", "CodeCommuneInsee", "INSEE commune code", "code commune INSEE",
     "Write the 5-character INSEE code of the commune (not its postcode), like 75056 or 2A004; check it on the COG of that year.",
     "Écrivez le code INSEE de la commune sur 5 caractères (pas son code postal), comme 75056 ou 2A004 ; vérifiez-le dans le COG de l'année.",
     "38000"),
    ("code-departement", "CodeDepartement", "département code", "code de département",
     "Write the département code: 2 characters (01, 2A, 2B, 95) or 3 for overseas (971 to 976, 984 to 989).",
     "Écrivez le code du département : 2 caractères (01, 2A, 2B, 95) ou 3 outre-mer (971 à 976, 984 à 989).",
     "20"),
    ("code-region", "CodeRegion", "region code", "code de région",
     "Write the 2-digit INSEE region code of the COG of that year, like 11 (Île-de-France) or 84 (Auvergne-Rhône-Alpes).",
     "Écrivez le code INSEE de la région à 2 chiffres, selon le COG de l'année, comme 11 (Île-de-France) ou 84 (Auvergne-Rhône-Alpes).",
     "99"),
    ("canton", "Canton", "canton name", "nom de canton",
     "Write the canton's name as the COG of that year spells it, like Grenoble-1.",
     "Écrivez le nom du canton tel que l'écrit le COG de l'année, comme Grenoble-1.",
     "Grenoble 9"),
    ("commune", "Commune", "commune name", "nom de commune",
     "Write the commune's name as the COG of that year spells it, like Saint-Martin-d'Hères (not its code).",
     "Écrivez le nom de la commune tel que l'écrit le COG de l'année, comme Saint-Martin-d'Hères (pas son code).",
     "St Martin"),
    ("departement", "Departement", "département name", "nom de département",
     "Write the département's name with its accents, like Isère (not its number).",
     "Écrivez le nom du département avec ses accents, comme Isère (pas son numéro).",
     "Isere"),
    ("region", "Region", "region name", "nom de région",
     "Write the region's name as the COG of that year spells it, like Auvergne-Rhône-Alpes.",
     "Écrivez le nom de la région tel que l'écrit le COG de l'année, comme Auvergne-Rhône-Alpes.",
     "Rhône-Alpes"),
    ("code-pays-iso2", "CodePaysISO2", "ISO 3166 two-letter country code", "code pays ISO à deux lettres",
     "Write the two-letter ISO 3166 code of the country, like FR or DE.",
     "Écrivez le code ISO 3166 à deux lettres du pays, comme FR ou DE.",
     "FRA"),
    ("code-pays-iso3", "CodePaysISO3", "ISO 3166 three-letter country code", "code pays ISO à trois lettres",
     "Write the three-letter ISO 3166 code of the country, like FRA or DEU.",
     "Écrivez le code ISO 3166 à trois lettres du pays, comme FRA ou DEU.",
     "FR"),
    ("pays", "Pays", "country name", "nom de pays",
     "Write the country's name as the COG spells it, like Allemagne.",
     "Écrivez le nom du pays tel que l'écrit le COG, comme Allemagne.",
     "Germany"),
]
for _code, _format, _en, _fr, _hint_en, _hint_fr, _cell in _COG_CODES:
    _column = _code.replace("-", "_")
    register(type(_format, (CogCheck,), {
        "name": _code, "format_name": _format, "__doc__": f"A {_en} of the COG vintage ``version``.",
        "rules": (format_rule(_code, _en, _fr, _hint_en, _hint_fr, _cell, _column, " (COG 2024)",
                              postcode_hint if _code == "code-commune-insee" else None),),
        "example": {"name": _code, "params": {"column": _column, "cog": "2024"}}}))


@register
class NumeroDepartement(CHECKS["code-departement"]):
    """Validata's name of ``code-departement`` (the same codes, frformat's ``CodeDepartement``)."""

    name = "numero-departement"
    example = {"name": "numero-departement", "params": {"column": "departement", "cog": "2024"}}


# -- postcode, FANTOIR, nomenclature Actes --------------------------------------
@register
class CodePostal(FormatCheck):
    """A French postcode of La Poste's list (frformat)."""

    name = "code-postal"
    rules = (format_rule(
        "code-postal", "French postcode", "code postal",
        "Write the 5-digit postcode of La Poste's list (a commune's INSEE code is not its postcode).",
        "Écrivez le code postal à 5 chiffres de la liste de La Poste (le code INSEE d'une commune n'est pas son code postal).",
        "75000", "code_postal"),)
    example = {"name": "code-postal", "params": {"column": "code_postal"}}

    def make_validator(self):
        return frformat_check("CodePostal")


@register
class CodeFantoir(FormatCheck):
    """A FANTOIR street code (frformat's list)."""

    name = "code-fantoir"
    rules = (format_rule(
        "code-fantoir", "FANTOIR code", "code FANTOIR",
        "Write the FANTOIR code of the street (4 characters and a control letter) as published by the DGFiP.",
        "Écrivez le code FANTOIR de la voie (4 caractères et une lettre clé) tel que publié par la DGFiP.",
        "ZZZZ", "code_fantoir"),)
    example = {"name": "code-fantoir", "params": {"column": "code_fantoir"}}

    def make_validator(self):
        return frformat_check("CodeFantoir")


@register
class NomenclatureActe(FormatCheck):
    """A subject of the Actes nomenclature followed by '/' (frformat)."""

    name = "nomenclature-acte"
    rules = (
        check_rule(
            "nomenclature-actes",
            "Invalid Actes nomenclature",
            "Nomenclature Actes invalide",
            "Row {rowNumber}: \"{cell}\" in {fieldName} does not start with a subject of the Actes nomenclature followed by \"/\".",
            "Ligne {rowNumber} : « {cell} » dans {fieldName} ne commence pas par une matière de la nomenclature Actes suivie de « / ».",
            "Start with one of the 9 subjects of the Actes nomenclature, then a slash without spaces, like Urbanisme/Droit de préemption.",
            "Commencez par l'une des 9 matières de la nomenclature Actes, puis une barre oblique sans espace, comme Urbanisme/Droit de préemption.",
            example={"rowNumber": 2, "fieldName": "DELIB_MATIERE_NOM", "cell": "Urbanisme - PLU"}),
    )
    example = {"name": "nomenclature-acte", "params": {"column": "DELIB_MATIERE_NOM"}}

    def make_validator(self):
        return frformat_check("NomenclatureActe")


@register
class NomenclatureActesValue(NomenclatureActe):
    """Validata's former name of ``nomenclature-acte``."""

    name = "nomenclature-actes-value"
    replaced_by = "nomenclature-acte"


# -- GPS coordinates in France -------------------------------------------------


def territories():
    """[(name, départements, xmin, ymin, xmax, ymax)] from frformat's boxes of France and overseas."""
    from frformat.formats.coordonnees_gps_francaises import FRANCE_BOUNDING_BOXES

    boxes = []
    for box in FRANCE_BOUNDING_BOXES:
        ring = box["geometry"]["coordinates"][0]
        xs, ys = [p[0] for p in ring], [p[1] for p in ring]
        boxes.append((box["nom"], box["depts"].split(","), min(xs), min(ys), max(xs), max(ys)))
    return boxes


def in_boxes(lon: np.ndarray, lat: np.ndarray, boxes) -> np.ndarray:
    inside = np.zeros(len(lon), dtype=bool)
    with np.errstate(invalid="ignore"):
        for _, _, xmin, ymin, xmax, ymax in boxes:
            inside |= (lon > xmin) & (lon < xmax) & (lat > ymin) & (lat < ymax)
    return inside


_POINT = r"^\s*[\[(]?\s*(?P<x>[-+]?\d+(?:\.\d+)?)\s*[,;]\s*(?P<y>[-+]?\d+(?:\.\d+)?)\s*[\])]?\s*$"


def geopoint_lon_lat(view, column: str, spec) -> tuple:
    """(lon, lat) float arrays of a geopoint column (NaN where not a point).

    Table Schema geopoint: "lon, lat" (default), [lon, lat] (array) or
    {"lon": .., "lat": ..} (object).
    """
    cells = text(view, column)
    n = len(cells)
    if spec is not None and spec.format == "object":
        import json

        lon, lat = np.full(n, np.nan), np.full(n, np.nan)
        for i, value in enumerate(cells.to_pylist()):
            if value is None:
                continue
            try:
                obj = json.loads(value)
                lon[i], lat[i] = float(obj["lon"]), float(obj["lat"])
            except Exception:
                pass
        return lon, lat
    parts = pc.extract_regex(cells, _POINT)
    x = pc.struct_field(parts, "x")
    y = pc.struct_field(parts, "y")
    as_float = lambda a: pc.cast(a, pa.float64()).to_numpy(zero_copy_only=False)  # noqa: E731
    return as_float(x), as_float(y)


class PointCheck(Check):
    """A check over a point given as one geopoint ``column`` or as ``latitude`` + ``longitude`` fields."""

    def init_point(self):
        if "column" in self.params:
            if "latitude" in self.params or "longitude" in self.params:
                raise CheckParamsError("give either 'column' (a geopoint) or 'latitude' and 'longitude', not both")
            self.column = self.field_param("column")
            self.latitude = self.longitude = None
            self.point_fields = [self.column]
        else:
            if "latitude" not in self.params or "longitude" not in self.params:
                raise CheckParamsError("give 'column' (a geopoint field) or both 'latitude' and 'longitude' (number fields)")
            self.column = None
            self.latitude = self.field_param("latitude")
            self.longitude = self.field_param("longitude")
            self.point_fields = [self.latitude, self.longitude]

    def lon_lat(self, view):
        if self.column is not None:
            return geopoint_lon_lat(view, self.column, self.fields.get(self.column))
        return numbers(view, self.longitude), numbers(view, self.latitude)

    def point_notes(self, view, lon, lat, positions):
        from ._common import LazyNotes, show

        def build(k):
            p = int(positions[k])
            return f"(lat {show(float(lat[p]))}, lon {show(float(lon[p]))})"

        return LazyNotes(len(positions), build)


@register
class FrenchGpsCoordinates(PointCheck):
    """The point lies in France, overseas départements included (frformat's boxes);
    a point that falls in France once latitude and longitude are swapped gets its own error."""

    name = "french-gps-coordinates"
    allowed = ("column", "latitude", "longitude")
    rules = (
        check_rule(
            "french-gps-coordinates",
            "Coordinates outside France",
            "Coordonnées hors de France",
            "Row {rowNumber}: the point {note} is not in France (metropolitan or overseas départements).",
            "Ligne {rowNumber} : le point {note} n'est pas en France (métropole ou départements d'outre-mer).",
            "Give WGS84 decimal degrees (EPSG:4326), not Lambert 93; a point in France has a latitude between -22 and 52.",
            "Donnez des degrés décimaux WGS84 (EPSG:4326), pas du Lambert 93 ; un point en France a une latitude entre -22 et 52.",
            example={"rowNumber": 5, "fieldName": "latitude", "note": "(lat 0.0, lon 0.0)"}),
        check_rule(
            "reversed-french-gps-coordinates",
            "Latitude and longitude swapped",
            "Latitude et longitude inversées",
            "Row {rowNumber}: the point {note} falls in France only if latitude and longitude are swapped.",
            "Ligne {rowNumber} : le point {note} ne tombe en France que si l'on inverse latitude et longitude.",
            "Swap the two values: the latitude (about 41 to 51 in mainland France) and the longitude (about -5 to 10).",
            "Inversez les deux valeurs : la latitude (environ 41 à 51 en métropole) et la longitude (environ -5 à 10).",
            example={"rowNumber": 5, "fieldName": "latitude", "note": "(lat 5.72, lon 45.19)"}),
    )
    example = {"name": "french-gps-coordinates", "params": {"latitude": "latitude", "longitude": "longitude"}}

    def __init__(self, params, fields, context=None):
        super().__init__(params, fields, context)
        self.init_point()
        self.boxes = territories()

    def check_batch(self, view):
        if set(self.point_fields) & self.absent:
            return []
        lon, lat = self.lon_lat(view)
        known = ~np.isnan(lon) & ~np.isnan(lat) & ~view.blank
        inside = in_boxes(lon, lat, self.boxes)
        swapped = known & ~inside & in_boxes(lat, lon, self.boxes)
        outside = known & ~inside & ~swapped
        field = self.column or self.latitude
        swapped, outside = np.flatnonzero(swapped), np.flatnonzero(outside)
        return (finding("reversed-french-gps-coordinates", swapped, field,
                        notes=self.point_notes(view, lon, lat, swapped))
                + finding("french-gps-coordinates", outside, field, notes=self.point_notes(view, lon, lat, outside)))


@register
class FrenchGpsCoordinatesUnderscore(FrenchGpsCoordinates):
    """The spelling ``french_gps_coordinates`` found in published schemas."""

    name = "french_gps_coordinates"
    replaced_by = "french-gps-coordinates"


# -- coordinates consistent with the commune -------------------------------------
@register
class CoordinatesInCommune(PointCheck):
    """The point lies in the territory of its declared commune (INSEE code): in the
    commune's bounding box when the schema gives ``commune_extents`` (the path or URL
    of a CSV ``code,lon_min,lat_min,lon_max,lat_max`` in WGS84 degrees, delimiter
    ``,`` or ``;``, one line per commune, e.g. exported from IGN ADMIN EXPRESS with
    ogr2ogr; a relative path is read from the schema's folder), otherwise in the
    territory of its département; ``tolerance_km`` (default 0) widens both.

    Why two resolutions: no maintained Python library ships commune outlines or
    centroids offline, so by default the check can only catch a commune code
    and a point of different territories (mainland France with Corsica,
    Guadeloupe, Martinique, Guyane, La Réunion, Mayotte, from frformat). A
    publisher who has the official geometry gives its bounding boxes (small:
    one line per commune) and gets a commune-level check: a point of Échirolles
    declared in Grenoble is caught. A box is wider than the commune, so a point
    just across the border of a neighbour may pass: the check finds wrong
    codes, not surveying errors. Rows whose code is not in the table fall back
    to the département-level check; rows whose commune is outside those
    territories (other overseas collectivities) or not a commune code are not
    checked here (``code-commune-insee`` checks the code).

    The table is read once per file (see ``_commune_extents``) and a missing,
    unreadable or malformed table is a schema error. The relative path is
    resolved against the schema's folder (or URL) when the validator knows it,
    otherwise against the current directory. Notes say which box was used
    ("bbox commune", or "bbox" and the territory) when a table is given.
    """

    name = "coordinates-in-commune"
    allowed = ("column", "latitude", "longitude", "commune", "tolerance_km", "commune_extents")
    rules = (
        check_rule(
            "coordinates-in-commune",
            "Point outside its commune's territory",
            "Point hors du territoire de sa commune",
            "Row {rowNumber}: the point {note} is not in the territory of the commune \"{cell}\".",
            "Ligne {rowNumber} : le point {note} n'est pas sur le territoire de la commune « {cell} ».",
            "Check the commune code and the coordinates of the row: one of them belongs to another place (a commune code of "
    "Réunion with a point in mainland France, say). The point is compared with the commune's bounding box when the "
    "schema gives a table of commune extents (commune_extents; \"bbox commune\" in the message), otherwise with its "
    "département's territory (mainland France or the overseas département).",
            "Vérifiez le code commune et les coordonnées de la ligne : l'un des deux désigne un autre lieu (un code commune de "
    "La Réunion avec un point en métropole, par exemple). Le point est comparé à l'emprise (bbox) de la commune quand "
    "le schéma fournit une table d'emprises des communes (commune_extents ; « bbox commune » dans le message), sinon "
    "au territoire de son département (métropole ou département d'outre-mer).",
            example={"rowNumber": 4, "fieldName": "latitude", "cell": "38185", "note": "(lat 48.85, lon 2.35; bbox Isère)"}),
    )
    example = {"name": "coordinates-in-commune", "params": {"latitude": "latitude", "longitude": "longitude", "commune": "insee_code"}}

    def __init__(self, params, fields, context=None):
        super().__init__(params, fields, context)
        self.init_point()
        self.commune = self.field_param("commune")
        self.tolerance_km = self.number_param("tolerance_km", 0.0, minimum=0)
        margin = self.tolerance_km / 111.0  # degrees of latitude; longitude widened by the same (safe side)
        self.boxes = {}
        self.territory = {}
        for name, depts, xmin, ymin, xmax, ymax in territories():
            for dept in depts:
                self.boxes[dept] = (xmin - margin, ymin - margin, xmax + margin, ymax + margin)
                self.territory[dept] = name
        self.extents = None
        if "commune_extents" in self.params:
            from . import _commune_extents

            self.extents = _commune_extents.load(self.params["commune_extents"], self.schema_base)
            self.extent_boxes = self.extents.widened(self.tolerance_km)

    def check_batch(self, view):
        if ({self.commune} | set(self.point_fields)) & self.absent:
            return []
        lon, lat = self.lon_lat(view)
        codes = text(view, self.commune)
        # one box per distinct code (NaN: not checked), spread to the rows
        encoded = pc.dictionary_encode(codes)
        distinct = encoded.dictionary
        if not len(distinct):
            return []
        overseas = pc.fill_null(pc.starts_with(distinct, "97"), typed_scalar(False, pa.bool_()))
        dept = pc.if_else(overseas, pc.utf8_slice_codeunits(distinct, 0, 3), pc.utf8_slice_codeunits(distinct, 0, 2))
        dept_names = dept.to_pylist()
        boxes = np.array([self.boxes.get(d, (np.nan,) * 4) for d in dept_names], dtype=np.float64).reshape(-1, 4)
        at_commune = np.zeros(len(distinct), dtype=bool)
        if self.extents is not None:
            found = pc.index_in(pc.utf8_upper(distinct), value_set=self.extents.codes)
            at_commune = np_bool(pc.is_valid(found))
            rows = filled_numbers(found, 0).astype(np.int64)
            boxes[at_commune] = self.extent_boxes[rows[at_commune]]
        known = ~np.isnan(lon) & ~np.isnan(lat) & np_bool(pc.is_valid(codes)) & ~view.blank
        indices = filled_numbers(encoded.indices, 0).astype(np.int64)
        xmin, ymin, xmax, ymax = boxes[indices].T
        with np.errstate(invalid="ignore"):
            if self.extents is None:  # the département-level test, as it always was
                inside = (lon > xmin) & (lon < xmax) & (lat > ymin) & (lat < ymax)
            else:  # a point on the edge of a commune's box is in it
                inside = (lon >= xmin) & (lon <= xmax) & (lat >= ymin) & (lat <= ymax)
        bad = known & ~np.isnan(xmin) & ~inside
        positions = np.flatnonzero(bad)
        if self.extents is None:
            return finding(self.code, positions, self.commune, notes=self.point_notes(view, lon, lat, positions))
        return finding(self.code, positions, self.commune,
                       notes=self._extent_notes(lon, lat, positions, indices, at_commune, dept_names))

    def _extent_notes(self, lon, lat, positions, indices, at_commune, dept_names):
        from ._common import LazyNotes, show

        def build(k):
            p = int(positions[k])
            d = int(indices[p])
            used = "commune" if at_commune[d] else self.territory.get(dept_names[d], "")
            return f"(lat {show(float(lat[p]))}, lon {show(float(lon[p]))}; bbox {used})"

        return LazyNotes(len(positions), build)
