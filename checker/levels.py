"""Administrative levels a clerk chooses from, and the rule pack each one uses.

A level's pack may not be bundled (yet); it then falls back to the national pack, so the
choice never fails for the user.
"""

from __future__ import annotations

from checker.packs import Pack, bundled_pack_names, load_pack

# level id -> (label shown to users, pack name, default issuer for templates)
LEVELS: dict[str, tuple[str, str, str]] = {
    "township": ("乡镇/街道", "township", "某某镇人民政府"),
    "county": ("县区", "county", "某某县人民政府"),
    "department": ("部门", "department", "某某县司法局"),
    "national": ("通用（全国模板）", "national", "某某人民政府"),
}


# The one default everywhere (checker check, fix, template and the web page): the national pack.
DEFAULT_LEVEL = "national"


def pack_name_for(level: str) -> str:
    """The bundled pack for a level, or ``national`` where that level has none."""
    name = LEVELS[level][1]
    return name if name in bundled_pack_names() else "national"


def pack_for(level: str) -> Pack:
    return load_pack(pack_name_for(level))
