"""Kelurahan boundaries from the project's own copy of the BPS/OCHA shapes, and points inside them."""

import json
from decimal import Decimal
from pathlib import Path

import tikor

KELURAHAN_GEOJSON = Path(tikor.__file__).resolve().parent / "data" / "kelurahan_dki.geojson"


def load_kelurahan_shapes(path=KELURAHAN_GEOJSON):
    """{kelurahan kode: [polygon, ...]}, a polygon being [outer ring, hole, ...] of (lon, lat) points."""
    with open(path, encoding="utf-8") as f:
        features = json.load(f)["features"]
    shapes = {}
    for feature in features:
        geometry = feature["geometry"]
        polygons = geometry["coordinates"]
        if geometry["type"] == "Polygon":
            polygons = [polygons]
        shapes[feature["properties"]["kode"]] = polygons
    return shapes


def _in_ring(x, y, ring):
    """Ray casting: does a ray from (x, y) to the east cross the ring an odd number of times?"""
    inside = False
    x_prev, y_prev = ring[-1][0], ring[-1][1]
    for point in ring:
        x_here, y_here = point[0], point[1]
        if (y_here > y) != (y_prev > y) and x < (x_prev - x_here) * (y - y_here) / (y_prev - y_here) + x_here:
            inside = not inside
        x_prev, y_prev = x_here, y_here
    return inside


def point_in_shape(lon, lat, polygons):
    """Inside one polygon's outer ring and outside its holes (MultiPolygon aware)."""
    return any(
        _in_ring(lon, lat, rings[0]) and not any(_in_ring(lon, lat, hole) for hole in rings[1:]) for rings in polygons
    )


def _ring_area(ring):
    return abs(sum(x0 * y1 - x1 * y0 for (x0, y0, *_), (x1, y1, *_) in zip(ring, ring[1:], strict=False))) / 2


def random_point_in(polygons, rng):
    """(lat, lon) as 6-decimal Decimals inside the shape: pick a polygon by area, sample its bounding box.

    Island kelurahan of Kepulauan Seribu are many small polygons in open sea; sampling the polygon's
    own box rather than the whole shape's keeps the number of tries small.
    """
    weights = [_ring_area(rings[0]) for rings in polygons]
    boxes = []
    for rings in polygons:
        lons, lats = [p[0] for p in rings[0]], [p[1] for p in rings[0]]
        boxes.append((min(lons), max(lons), min(lats), max(lats)))
    for _attempt in range(10_000):
        west, east, south, north = rng.choices(boxes, weights)[0]
        lon = round(rng.uniform(west, east), 6)
        lat = round(rng.uniform(south, north), 6)
        if point_in_shape(lon, lat, polygons):
            return Decimal(f"{lat:.6f}"), Decimal(f"{lon:.6f}")
    raise RuntimeError("no point found inside the polygon")
