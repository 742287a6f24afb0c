"""Crisis lines by country: the numbers, their sources, and the country a time zone is in."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import available_timezones

import pytest

from companion.clinical.crisis_lines import (
    COUNTRIES,
    COUNTRY_CHOICES,
    ELSEWHERE,
    ZONE_COUNTRY,
    country_for_zone,
    help_for,
)


@pytest.mark.parametrize(
    ("zone", "country"),
    [
        ("America/New_York", "US"),
        ("America/Los_Angeles", "US"),
        ("Pacific/Honolulu", "US"),
        ("US/Eastern", "US"),
        ("America/Toronto", "CA"),
        ("America/Vancouver", "CA"),
        ("America/St_Johns", "CA"),
        ("Europe/London", "GB"),
        ("Europe/Dublin", "IE"),
        ("Australia/Sydney", "AU"),
        ("Australia/Perth", "AU"),
        ("Pacific/Auckland", "NZ"),
        ("Europe/Paris", ""),
        ("Asia/Tokyo", ""),
        ("America/Mexico_City", ""),
        ("UTC", ""),
        ("", ""),
        ("Mars/Olympus", ""),
        (None, ""),
        (["America/New_York"], ""),
    ],
)
def test_the_country_of_a_time_zone(zone: object, country: str) -> None:
    assert country_for_zone(zone) == country


@pytest.mark.parametrize(
    ("zone", "first", "emergency"),
    [
        ("America/Chicago", "tel:988", "tel:911"),
        ("America/Toronto", "tel:988", "tel:911"),
        ("Europe/London", "tel:116123", "tel:999"),
        ("Europe/Dublin", "tel:116123", "tel:112"),
        ("Australia/Melbourne", "tel:131114", "tel:000"),
        ("Pacific/Auckland", "tel:1737", "tel:111"),
        ("Europe/Berlin", "https://findahelpline.com", "tel:112"),
    ],
)
def test_the_numbers_shown_first_fit_where_the_patient_is(
    zone: str, first: str, emergency: str
) -> None:
    lines = help_for("", zone)
    assert (lines.crisis_line.href, lines.emergency.href) == (first, emergency)


def test_a_chosen_country_wins_over_the_time_zone() -> None:
    assert help_for("AU", "America/New_York").code == "AU"
    assert help_for("other", "America/New_York") is ELSEWHERE
    assert help_for("", "America/New_York").code == "US"
    for forged in ("XX", 5, None, ["US"]):
        assert help_for(forged, "Europe/London").code == "GB"
    # Nothing known (signed out): the US set, which points everyone else to findahelpline.com.
    assert help_for("", "").code == "US" and help_for(None, None).code == "US"
    assert help_for("", "UTC") is ELSEWHERE


def test_the_words_match_the_numbers() -> None:
    expected = {
        "US": ("Call 988", "Call 911"),
        "CA": ("Call 988", "Call 911"),
        "GB": ("Call Samaritans on 116 123", "Call 999"),
        "IE": ("Call Samaritans on 116 123", "Call 112 or 999"),
        "AU": ("Call Lifeline on 13 11 14", "Call 000"),
        "NZ": ("Call 1737", "Call 111"),
    }
    for code, (line, emergency) in expected.items():
        country = COUNTRIES[code]
        assert (country.crisis_line.action, country.emergency.action) == (line, emergency)
    us = " ".join(f"{c.name} {c.action}" for c in COUNTRIES["US"].everything)
    for fact in ("Veterans: press 1", "Text HOME to 741741", "Text 988", "988lifeline.org"):
        assert fact in us
    assert COUNTRIES["GB"].others[1].action == "Call 112"
    assert ELSEWHERE.emergency.action == "Call 112 or your local emergency number"


def test_every_number_has_its_source_and_every_link_does_what_it_says() -> None:
    for country in [*COUNTRIES.values(), ELSEWHERE]:
        for contact in country.everything:
            assert contact.source.startswith("https://"), contact
            digits = "".join(ch for ch in contact.href if ch.isdigit())
            if contact.href.startswith("tel:"):
                assert contact.action.startswith("Call"), contact
                # The number dialled is the first one the words name.
                assert digits and digits in contact.action.replace(" ", ""), contact
            if contact.href.startswith("sms:"):
                assert contact.action.startswith("Text"), contact
            if contact.href.startswith("https://"):
                assert contact.href.split("/")[2].removeprefix("www.") in contact.action, contact


def test_every_zone_is_a_real_one_and_every_zone_of_these_countries_is_covered() -> None:
    zones = available_timezones()
    assert set(ZONE_COUNTRY) <= zones
    table = Path("/usr/share/zoneinfo/zone.tab")
    if table.exists():  # Debian's tzdata: the zone.tab these lists were taken from
        listed = {
            line.split("\t")[2]: line.split("\t")[0]
            for line in table.read_text().splitlines()
            if line and not line.startswith("#")
        }
        for zone, code in listed.items():
            if code in COUNTRIES:
                assert ZONE_COUNTRY.get(zone) == code, zone


def test_the_settings_picker_lists_every_country_and_another() -> None:
    assert [code for code, _ in COUNTRY_CHOICES] == [*COUNTRIES, "other"]
