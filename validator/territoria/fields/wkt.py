"""Well-known text (``format: "wkt"`` of a string field), read as frictionless reads it.

frictionless accepts a cell when a PEG parser of the OGC Simple Features WKT
grammar (06-103r4, section 7) recognises a geometry *at the start* of the text:
keywords in capitals, blanks skipped between tokens, and whatever follows a
complete geometry ignored. The grammar below is written from that standard, in
the notation of TatSu, the parser generator frictionless itself runs; TatSu is
the optional extra ``territoria[wkt]``. Without it a schema with a ``wkt``
field is refused with a one-line field error that says what to install
(``schema.schema_problems``), never an internal error.
"""
from __future__ import annotations

import importlib.util
from functools import lru_cache

INSTALL_HINT = "pip install 'territoria[wkt]'"

GRAMMAR = r"""
@@grammar :: WellKnownText

start = geometry ;

geometry
    = point_tagged
    | curve_tagged
    | surface_tagged
    | collection_tagged
    ;

point_tagged = 'POINT' [ dimension ] point_text ;

curve_tagged = linestring_tagged | circularstring_tagged | compoundcurve_tagged ;
linestring_tagged = 'LINESTRING' [ dimension ] linestring_text ;
circularstring_tagged = 'CIRCULARSTRING' [ dimension ] linestring_text ;
compoundcurve_tagged = 'COMPOUNDCURVE' [ dimension ] compoundcurve_text ;

surface_tagged
    = 'CURVEPOLYGON' [ dimension ] curvepolygon_text
    | polygon_tagged
    | triangle_tagged
    ;
polygon_tagged = 'POLYGON' [ dimension ] polygon_text ;
triangle_tagged = 'TRIANGLE' [ dimension ] triangle_text ;

collection_tagged
    = multipoint_tagged
    | multicurve_tagged
    | multisurface_tagged
    | geometrycollection_tagged
    ;
multipoint_tagged = 'MULTIPOINT' [ dimension ] multipoint_text ;
multicurve_tagged = 'MULTICURVE' [ dimension ] multicurve_text | multilinestring_tagged ;
multilinestring_tagged = 'MULTILINESTRING' [ dimension ] multilinestring_text ;
multisurface_tagged
    = 'MULTISURFACE' [ dimension ] multisurface_text
    | multipolygon_tagged
    | polyhedralsurface_tagged
    | tin_tagged
    ;
multipolygon_tagged = 'MULTIPOLYGON' [ dimension ] multipolygon_text ;
polyhedralsurface_tagged = 'POLYHEDRALSURFACE' [ dimension ] multipolygon_text ;
tin_tagged = 'TIN' [ dimension ] tin_text ;
geometrycollection_tagged = 'GEOMETRYCOLLECTION' [ dimension ] geometrycollection_text ;

point_text = empty | '(' coordinates ')' ;
coordinates = number number [ number ] [ number ] ;
linestring_text = empty | '(' coordinates { ',' coordinates } ')' ;
compoundcurve_text = empty | '(' single_curve { ',' single_curve } ')' ;
single_curve = linestring_text | circularstring_tagged ;
any_curve = linestring_text | circularstring_tagged | compoundcurve_tagged ;
curvepolygon_text = empty | '(' any_curve { ',' any_curve } ')' ;
polygon_text = empty | '(' linestring_text { ',' linestring_text } ')' ;
triangle_text = empty | '(' linestring_text ')' ;
multipoint_text = empty | '(' point_text { ',' point_text } ')' ;
multicurve_text = empty | '(' any_curve { ',' any_curve } ')' ;
multilinestring_text = empty | '(' linestring_text { ',' linestring_text } ')' ;
surface_text = 'CURVEPOLYGON' curvepolygon_text | polygon_text ;
multisurface_text = empty | '(' surface_text { ',' surface_text } ')' ;
multipolygon_text = empty | '(' polygon_text { ',' polygon_text } ')' ;
tin_text = empty | '(' triangle_text { ',' triangle_text } ')' ;
geometrycollection_text = empty | '(' geometry { ',' geometry } ')' ;

empty = 'EMPTY' ;
dimension = 'ZM' | 'Z' | 'M' ;
number = /[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?/ ;
"""


def available() -> bool:
    """Whether the optional parser generator (TatSu) is installed."""
    return importlib.util.find_spec("tatsu") is not None


@lru_cache(maxsize=1)
def _parser():
    import tatsu

    return tatsu.compile(GRAMMAR)


def is_wkt(text: str) -> bool:
    """frictionless's verdict on a cell of a ``wkt`` field (TatSu must be installed)."""
    try:
        _parser().parse(text)
    except Exception:
        return False
    return True
