"""Prefecture-level cities by GB/T 2260 region code (Fujian, the province of the corporate sample).

Used to question an address whose city does not exist or disagrees with the region code inside the
统一社会信用代码 (positions 3–8). Extend with other provinces when the data covers them.
"""

from __future__ import annotations

CITIES_BY_REGION: dict[str, str] = {
    "350100": "福州市",
    "350200": "厦门市",
    "350300": "莆田市",
    "350400": "三明市",
    "350500": "泉州市",
    "350600": "漳州市",
    "350700": "南平市",
    "350800": "龙岩市",
    "350900": "宁德市",
}
PROVINCE_BY_PREFIX: dict[str, str] = {"35": "福建省"}
