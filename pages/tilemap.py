"""A tile-grid map of the UN member states: one square per state, placed roughly where
the state lies, drawn as inline SVG by the templates (pages/_tilemap.html).

The geometry is ours: each state's approximate centroid (latitude, longitude, in
degrees, rounded; public geographic knowledge) is snapped to a grid cell, north to
south, each state taking the free cell nearest its ideal position. Small, crowded
regions (Europe, the Caribbean) spread into neighbouring cells, so the picture is a
map-like arrangement, not a projection. Any page that colours states by a value
(a treaty's status, a provision's stance) can reuse `tile_map`.
"""

import functools
from dataclasses import dataclass

# Degrees of longitude and latitude per cell, and where the grid starts.
LON_STEP = 9.0
LAT_STEP = 7.0
WEST = -130.0  # Pacific states east of the date line are wrapped past 180°
NORTH = 75.0
TILE = 26  # SVG units per cell
GAP = 2

# ISO 3166-1 alpha-3 → (latitude, longitude), approximate.
CENTROIDS = {
    # African States
    "DZA": (28, 3),
    "AGO": (-12, 18),
    "BEN": (9, 2),
    "BWA": (-22, 24),
    "BFA": (12, -2),
    "BDI": (-3, 30),
    "CPV": (16, -24),
    "CMR": (6, 12),
    "CAF": (7, 21),
    "TCD": (15, 19),
    "COM": (-12, 44),
    "COG": (-1, 15),
    "CIV": (8, -5),
    "COD": (-3, 23),
    "DJI": (12, 43),
    "EGY": (27, 30),
    "GNQ": (2, 10),
    "ERI": (15, 39),
    "SWZ": (-26, 31),
    "ETH": (9, 39),
    "GAB": (-1, 11),
    "GMB": (13, -15),
    "GHA": (8, -1),
    "GIN": (10, -10),
    "GNB": (12, -15),
    "KEN": (0, 38),
    "LSO": (-29, 28),
    "LBR": (6, -9),
    "LBY": (27, 17),
    "MDG": (-19, 47),
    "MWI": (-13, 34),
    "MLI": (17, -4),
    "MRT": (20, -10),
    "MUS": (-20, 57),
    "MAR": (32, -6),
    "MOZ": (-18, 35),
    "NAM": (-22, 17),
    "NER": (17, 8),
    "NGA": (9, 8),
    "RWA": (-2, 30),
    "STP": (0, 7),
    "SEN": (14, -14),
    "SYC": (-5, 55),
    "SLE": (8, -12),
    "SOM": (6, 46),
    "ZAF": (-29, 24),
    "SSD": (7, 30),
    "SDN": (15, 30),
    "TGO": (8, 1),
    "TUN": (34, 9),
    "UGA": (1, 32),
    "TZA": (-6, 35),
    "ZMB": (-14, 28),
    "ZWE": (-19, 30),
    # Asia-Pacific States
    "AFG": (34, 66),
    "BHR": (26, 50.5),
    "BGD": (24, 90),
    "BTN": (27, 90),
    "BRN": (4.5, 114.7),
    "KHM": (12, 105),
    "CHN": (35, 104),
    "CYP": (35, 33),
    "PRK": (40, 127),
    "FJI": (-18, 178),
    "IND": (21, 78),
    "IDN": (-2, 118),
    "IRN": (32, 53),
    "IRQ": (33, 44),
    "JPN": (36, 138),
    "JOR": (31, 36),
    "KAZ": (48, 67),
    "KIR": (1, 173),
    "KWT": (29, 48),
    "KGZ": (41, 75),
    "LAO": (18, 103),
    "LBN": (34, 36),
    "MYS": (4, 102),
    "MDV": (3, 73),
    "MHL": (7, 171),
    "FSM": (7, 158),
    "MNG": (47, 104),
    "MMR": (21, 96),
    "NRU": (-0.5, 167),
    "NPL": (28, 84),
    "OMN": (21, 57),
    "PAK": (30, 70),
    "PLW": (7, 134),
    "PNG": (-6, 145),
    "PHL": (13, 122),
    "QAT": (25, 51),
    "KOR": (36, 128),
    "WSM": (-14, -172),
    "SAU": (24, 45),
    "SGP": (1.3, 104),
    "SLB": (-9, 160),
    "LKA": (8, 81),
    "SYR": (35, 38),
    "TJK": (39, 71),
    "THA": (15, 101),
    "TLS": (-9, 126),
    "TON": (-21, -175),
    "TKM": (39, 59),
    "TUV": (-8, 178),
    "ARE": (24, 54),
    "UZB": (41, 64),
    "VUT": (-16, 167),
    "VNM": (16, 107),
    "YEM": (15, 48),
    # Eastern European States
    "ALB": (41, 20),
    "ARM": (40, 45),
    "AZE": (40, 48),
    "BLR": (53, 28),
    "BIH": (44, 18),
    "BGR": (43, 25),
    "HRV": (45, 16),
    "CZE": (50, 15),
    "EST": (59, 25),
    "GEO": (42, 43),
    "HUN": (47, 19),
    "LVA": (57, 25),
    "LTU": (55, 24),
    "MNE": (42.7, 19.3),
    "MKD": (41.6, 21.7),
    "POL": (52, 19),
    "MDA": (47, 29),
    "ROU": (46, 25),
    "RUS": (60, 60),
    "SRB": (44, 21),
    "SVK": (48.7, 19.5),
    "SVN": (46, 15),
    "UKR": (49, 32),
    # Latin American and Caribbean States
    "ATG": (17, -62),
    "ARG": (-34, -64),
    "BHS": (24, -77),
    "BRB": (13, -59.5),
    "BLZ": (17, -88.5),
    "BOL": (-17, -65),
    "BRA": (-10, -52),
    "CHL": (-30, -71),
    "COL": (4, -73),
    "CRI": (10, -84),
    "CUB": (22, -79),
    "DMA": (15.4, -61.3),
    "DOM": (19, -70.5),
    "ECU": (-1.5, -78),
    "SLV": (13.7, -89),
    "GRD": (12, -61.7),
    "GTM": (15.5, -90),
    "GUY": (5, -59),
    "HTI": (19, -72.5),
    "HND": (15, -86.5),
    "JAM": (18, -77),
    "MEX": (23, -102),
    "NIC": (13, -85),
    "PAN": (9, -80),
    "PRY": (-23, -58),
    "PER": (-10, -76),
    "KNA": (17.3, -62.7),
    "LCA": (13.9, -61),
    "VCT": (13.2, -61.2),
    "SUR": (4, -56),
    "TTO": (10.5, -61.3),
    "URY": (-33, -56),
    "VEN": (7, -66),
    # Western European and Other States
    "AND": (42.5, 1.5),
    "AUS": (-25, 134),
    "AUT": (47.5, 14.5),
    "BEL": (50.5, 4.5),
    "CAN": (56, -100),
    "DNK": (56, 10),
    "FIN": (64, 26),
    "FRA": (46, 2),
    "DEU": (51, 10),
    "GRC": (39, 22),
    "ISL": (65, -18),
    "IRL": (53, -8),
    "ISR": (31, 35),
    "ITA": (43, 12),
    "LIE": (47.2, 9.5),
    "LUX": (49.8, 6.1),
    "MLT": (35.9, 14.4),
    "MCO": (43.7, 7.4),
    "NLD": (52, 5.5),
    "NZL": (-41, 174),
    "NOR": (62, 10),
    "PRT": (39.5, -8),
    "SMR": (43.9, 12.5),
    "ESP": (40, -4),
    "SWE": (62, 16),
    "CHE": (46.8, 8.2),
    "TUR": (39, 35),
    "GBR": (54, -2),
    "USA": (39, -98),
}


def _ideal(code):
    lat, lon = CENTROIDS[code]
    if lon < -165:  # Samoa, Tonga: beside Fiji, not beside Alaska
        lon += 360
    return (lon - WEST) / LON_STEP, (NORTH - lat) / LAT_STEP


def _nearest_free(x, y, taken):
    for radius in range(40):
        free = [
            (cx, cy)
            for cx in range(int(x) - radius - 1, int(x) + radius + 2)
            for cy in range(int(y) - radius - 1, int(y) + radius + 2)
            if (cx, cy) not in taken
        ]
        if free:
            # Rows weigh a little more: a state moved sideways still reads right.
            return min(
                free,
                key=lambda p: ((p[0] + 0.5 - x) ** 2 + 1.3 * (p[1] + 0.5 - y) ** 2, p),
            )
    raise ValueError("no free cell")  # pragma: no cover (the grid is unbounded)


@functools.cache
def grid_positions():
    """{code: (column, row)} from 0, for every state in CENTROIDS; deterministic."""
    taken, placed = set(), {}
    for code in sorted(CENTROIDS, key=lambda c: (-CENTROIDS[c][0], CENTROIDS[c][1])):
        cell = _nearest_free(*_ideal(code), taken)
        taken.add(cell)
        placed[code] = cell
    left = min(x for x, _ in placed.values())
    top = min(y for _, y in placed.values())
    return {code: (x - left, y - top) for code, (x, y) in placed.items()}


@dataclass(frozen=True)
class Tile:
    code: str
    name: str
    value: str  # the class suffix the colour comes from, e.g. "signed"
    label: str  # the value in words, for the tile's <title>
    x: int
    y: int
    url: str = ""


@dataclass(frozen=True)
class TileMap:
    tiles: list
    width: int
    height: int
    tile: int
    legend: list  # [(value, label, count)]
    unplaced: list  # [(code, name)] of actors the grid has no cell for

    @property
    def description(self):
        return "; ".join(f"{label}: {count}" for _, label, count in self.legend)


def tile_map(actors, value_of, labels, *, url_of=None):
    """A TileMap of `actors` ((code, name) pairs) coloured by `value_of(code)`;
    `labels` is {value: words}, in legend order."""
    positions = grid_positions()
    tiles, unplaced, counts = [], [], dict.fromkeys(labels, 0)
    for code, name in actors:
        value = value_of(code)
        counts[value] = counts.get(value, 0) + 1
        if code not in positions:
            unplaced.append((code, name))
            continue
        column, row = positions[code]
        tiles.append(
            Tile(
                code=code,
                name=name,
                value=value,
                label=labels.get(value, value),
                x=column * TILE,
                y=row * TILE,
                url=url_of(code) if url_of else "",
            )
        )
    columns = max((x for x, _ in positions.values()), default=0) + 1
    rows = max((y for _, y in positions.values()), default=0) + 1
    return TileMap(
        tiles=tiles,
        width=columns * TILE,
        height=rows * TILE,
        tile=TILE - GAP,
        legend=[(value, labels[value], counts.get(value, 0)) for value in labels],
        unplaced=unplaced,
    )
