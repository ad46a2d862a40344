"""The demo jurisdiction tree: the regions of our policy sources."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.jurisdictions.models import Region, RegionLevel

# (code, Chinese name, English name, level, parent code) — codes are the national
# administrative division codes (GB/T 2260).
REGIONS: tuple[tuple[str, str, str, RegionLevel, str | None], ...] = (
    ("110000", "北京市", "Beijing", RegionLevel.PROVINCE, None),
    ("110100", "北京市市辖区", "Beijing (districts)", RegionLevel.CITY, "110000"),
    ("110101", "东城区", "Dongcheng District", RegionLevel.COUNTY, "110100"),
    ("110102", "西城区", "Xicheng District", RegionLevel.COUNTY, "110100"),
    ("110105", "朝阳区", "Chaoyang District", RegionLevel.COUNTY, "110100"),
    ("110108", "海淀区", "Haidian District", RegionLevel.COUNTY, "110100"),
    ("320000", "江苏省", "Jiangsu Province", RegionLevel.PROVINCE, None),
    ("320900", "盐城市", "Yancheng", RegionLevel.CITY, "320000"),
    ("320902", "亭湖区", "Tinghu District", RegionLevel.COUNTY, "320900"),
    ("320903", "盐都区", "Yandu District", RegionLevel.COUNTY, "320900"),
    ("320904", "大丰区", "Dafeng District", RegionLevel.COUNTY, "320900"),
    ("320981", "东台市", "Dongtai", RegionLevel.COUNTY, "320900"),
    ("340000", "安徽省", "Anhui Province", RegionLevel.PROVINCE, None),
    ("341600", "亳州市", "Bozhou", RegionLevel.CITY, "340000"),
    ("341602", "谯城区", "Qiaocheng District", RegionLevel.COUNTY, "341600"),
    ("341621", "涡阳县", "Guoyang County", RegionLevel.COUNTY, "341600"),
    ("341622", "蒙城县", "Mengcheng County", RegionLevel.COUNTY, "341600"),
    ("341623", "利辛县", "Lixin County", RegionLevel.COUNTY, "341600"),
    ("640000", "宁夏回族自治区", "Ningxia Hui Autonomous Region", RegionLevel.PROVINCE, None),
    ("640100", "银川市", "Yinchuan", RegionLevel.CITY, "640000"),
    ("640104", "兴庆区", "Xingqing District", RegionLevel.COUNTY, "640100"),
    ("640105", "西夏区", "Xixia District", RegionLevel.COUNTY, "640100"),
    ("640106", "金凤区", "Jinfeng District", RegionLevel.COUNTY, "640100"),
    ("640121", "永宁县", "Yongning County", RegionLevel.COUNTY, "640100"),
    ("640122", "贺兰县", "Helan County", RegionLevel.COUNTY, "640100"),
    ("640181", "灵武市", "Lingwu", RegionLevel.COUNTY, "640100"),
)


def seed_regions(session: Session) -> dict[str, Region]:
    """Insert the demo jurisdiction tree (idempotent) and return the regions by code."""
    existing = {r.code: r for r in session.scalars(select(Region))}
    for code, zh, en, level, parent in REGIONS:
        if code in existing:
            continue
        region = Region(
            code=code,
            name_zh=zh,
            name_en=en,
            level=level,
            parent=existing.get(parent) if parent else None,
        )
        session.add(region)
        existing[code] = region
    session.flush()
    return existing
