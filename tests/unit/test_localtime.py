"""The time-zone picker's names: common zones as people say them, every other place readable."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from companion.localtime import COMMON_ZONES, is_valid_timezone, other_zones, readable_zone


def test_common_zones_have_their_everyday_names_and_exist() -> None:
    assert readable_zone("America/New_York") == "New York (Eastern Time)"
    for name, _label in COMMON_ZONES:
        assert is_valid_timezone(name) and ZoneInfo(name)


def test_every_other_place_reads_city_first_without_underscores_or_aliases() -> None:
    assert readable_zone("America/Argentina/Buenos_Aires") == "Buenos Aires (Argentina, America)"
    names = [name for name, _ in other_zones()]
    labels = [label for _, label in other_zones()]
    assert "America/Argentina/Buenos_Aires" in names and "America/New_York" not in names
    assert not any(n.startswith(("US/", "Etc/")) or "/" not in n for n in names)
    assert labels == sorted(labels) and not any("_" in label for label in labels)
