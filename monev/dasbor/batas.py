"""The kecamatan and kelurahan boundaries shipped in tikor/data (BPS/OCHA, CC BY-IGO; see tikor/data/SOURCES.md),
simplified for the map and kept in memory: 1,2 MB of GeoJSON becomes a few hundred KB, drawn alike at city zoom."""

import hashlib
import json
from functools import cache
from pathlib import Path

from django.conf import settings

LEVELS = ("kecamatan", "kelurahan")
TOLERANCE = 0.00015  # degrees, about 16 m: below a pixel at the zoom that shows all of DKI
DECIMALS = 5
KEEP = ("kode", "nama", "kecamatan", "nama_kecamatan", "kota", "nama_kota")
ATTRIBUTION = "Batas wilayah: BPS / OCHA, HDX COD-AB Indonesia (CC BY-IGO)"


def _path(tingkat):
    return Path(settings.BASE_DIR) / "tikor" / "data" / f"{tingkat}_dki.geojson"


def _distance(point, start, end):
    """Distance from `point` to the segment start–end, in degrees (flat at this scale)."""
    (x, y), (x1, y1), (x2, y2) = point, start, end
    dx, dy = x2 - x1, y2 - y1
    if dx == dy == 0:
        return ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
    t = max(0.0, min(1.0, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy)))
    return ((x - x1 - t * dx) ** 2 + (y - y1 - t * dy) ** 2) ** 0.5


def simplify(ring, tolerance=TOLERANCE):
    """Douglas–Peucker on a closed ring, iteratively; a ring keeps at least four points (a triangle, closed)."""
    if len(ring) <= 4:
        return ring
    keep = [False] * len(ring)
    keep[0] = keep[-1] = True
    stack = [(0, len(ring) - 1)]
    while stack:
        first, last = stack.pop()
        index, furthest = None, tolerance
        for i in range(first + 1, last):
            d = _distance(ring[i], ring[first], ring[last])
            if d > furthest:
                index, furthest = i, d
        if index is not None:
            keep[index] = True
            stack += [(first, index), (index, last)]
    kept = [p for p, k in zip(ring, keep, strict=True) if k]
    if len(kept) < 4:  # a closed ring whose first and last points are the same: keep its two furthest others
        middle = max(range(1, len(ring) - 1), key=lambda i: _distance(ring[i], ring[0], ring[0]))
        other = max(range(1, len(ring) - 1), key=lambda i: _distance(ring[i], ring[0], ring[middle]))
        kept = [ring[0], *[ring[i] for i in sorted({middle, other})], ring[-1]]
    return [[round(x, DECIMALS), round(y, DECIMALS)] for x, y in kept]


def _polygons(geometry):
    return geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]


@cache
def _collection(tingkat):
    with open(_path(tingkat), encoding="utf-8") as source:
        data = json.load(source)
    features = []
    for feature in data["features"]:
        polygons = [[simplify(ring) for ring in polygon] for polygon in _polygons(feature["geometry"])]
        features.append(
            {
                "type": "Feature",
                "properties": {k: v for k, v in feature["properties"].items() if k in KEEP},
                "geometry": {"type": "MultiPolygon", "coordinates": polygons},
            }
        )
    text = json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":"))
    return text, hashlib.sha256(text.encode()).hexdigest()[:16], features


def geojson(tingkat):
    return _collection(tingkat)[0]


def etag(tingkat):
    return _collection(tingkat)[1] if tingkat in LEVELS else None


def _ring_centroid(ring):
    """(area, x, y) of a ring by the shoelace formula."""
    area = cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
        cross = x1 * y2 - x2 * y1
        area += cross
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    area /= 2
    return (area, cx / (6 * area), cy / (6 * area)) if area else (0.0, ring[0][0], ring[0][1])


@cache
def centroids():
    """{kelurahan kode: (lat, lng)}: the centre of each kelurahan's largest polygon, for e-warong with no position."""
    result = {}
    for feature in _collection("kelurahan")[2]:
        outer = max(
            (polygon[0] for polygon in feature["geometry"]["coordinates"]),
            key=lambda ring: abs(_ring_centroid(ring)[0]),
        )
        _area, lng, lat = _ring_centroid(outer)
        result[feature["properties"]["kode"]] = (round(lat, 6), round(lng, 6))
    return result
