"""A made-up directory for the demo regions: plausible names (marked 演示), codes of the right shape."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.institutions.models import (
    Institution,
    InstitutionKind,
    InstitutionLevel,
    Ownership,
    name_key,
)
from portal.ops.demo import DemoContext

H, C, P = InstitutionKind.HOSPITAL, InstitutionKind.PRIMARY_CARE, InstitutionKind.PHARMACY
L1, L2, L3, UG = (
    InstitutionLevel.LEVEL_1,
    InstitutionLevel.LEVEL_2,
    InstitutionLevel.LEVEL_3,
    InstitutionLevel.UNGRADED,
)
PUB, PRI = Ownership.PUBLIC, Ownership.PRIVATE

# (code, name, kind, level, ownership, address): the region is the code's division code.
DIRECTORY: tuple[tuple[str, str, InstitutionKind, InstitutionLevel | None, Ownership, str], ...] = (
    ("H64010400012", "银川兴庆仁和医院（演示）", H, L2, PRI, "兴庆区解放东街（演示地址）"),
    ("H64010400031", "银川市第九人民医院（演示）", H, L3, PUB, "兴庆区胜利街（演示地址）"),
    (
        "H64010400057",
        "兴庆区富宁街社区卫生服务中心（演示）",
        C,
        L1,
        PUB,
        "兴庆区富宁街（演示地址）",
    ),
    (
        "P64010400357",
        "宁夏康泰大药房连锁兴庆店（演示）",
        P,
        None,
        PRI,
        "兴庆区新华东街（演示地址）",
    ),
    ("H64010500021", "西夏区安康康复医院（演示）", H, L1, PRI, "西夏区怀远路（演示地址）"),
    ("P64010500112", "西夏区百姓平价药店（演示）", P, None, PRI, "西夏区同心路（演示地址）"),
    ("H64010600008", "金凤区博爱中医医院（演示）", H, L2, PRI, "金凤区北京中路（演示地址）"),
    ("H64012100015", "永宁县第二人民医院（演示）", H, L2, PUB, "永宁县杨和镇（演示地址）"),
    ("H64018100044", "灵武市惠民医院（演示）", H, UG, PRI, "灵武市东塔镇（演示地址）"),
    ("H34160200026", "亳州华佗骨科医院（演示）", H, L2, PRI, "谯城区魏武大道（演示地址）"),
    ("P34160200418", "谯城区济世堂大药房（演示）", P, None, PRI, "谯城区药都路（演示地址）"),
    ("H34162100011", "涡阳县仁济医院（演示）", H, L1, PRI, "涡阳县城关镇（演示地址）"),
    ("H34162200019", "蒙城县康复医院（演示）", H, L1, PRI, "蒙城县城关镇（演示地址）"),
    ("P34162200203", "蒙城县同仁大药房（演示）", P, None, PRI, "蒙城县漆园街道（演示地址）"),
    ("H32090200033", "盐城亭湖协和医院（演示）", H, L2, PRI, "亭湖区解放南路（演示地址）"),
    ("H32098100027", "东台市安泰医院（演示）", H, L1, PRI, "东台市东台镇（演示地址）"),
    ("P32090200357", "亭湖区益生堂药店（演示）", P, None, PRI, "亭湖区建军中路（演示地址）"),
    ("H11010500041", "北京朝阳和美医院（演示）", H, L2, PRI, "朝阳区（演示地址）"),
    ("H11010800052", "海淀区中关村社区卫生服务中心（演示）", C, L1, PUB, "海淀区（演示地址）"),
    ("P11010500266", "朝阳区好药师大药房（演示）", P, None, PRI, "朝阳区（演示地址）"),
)


def seed_demo_directory(session: Session, context: DemoContext) -> None:
    """Put the demo directory in place (institutions already there are left alone)."""
    known = set(session.scalars(select(Institution.code)))
    added = 0
    for code, name, kind, level, ownership, address in DIRECTORY:
        if code in known:
            continue
        session.add(
            Institution(
                code=code,
                name=name,
                name_key=name_key(name),
                kind=kind,
                level=level,
                ownership=ownership,
                region=context.regions[code[1:7]],
                address=address,
            )
        )
        added += 1
    session.flush()
    context.echo(f"demo directory: {added} institutions")
