"""Crisis lines and emergency numbers by country, each with its source, and the country a
patient's time zone is in. A patient may choose the country in Settings; anyone else gets
findahelpline.com and 112, which reaches the emergency services from a mobile in most of the
world. Checked against each service's own pages (the `source` beside every number)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CrisisContact:
    """One way to get help now: who, what to do, the link that does it, and where it is from."""

    name: str
    action: str
    href: str
    source: str = ""


@dataclass(frozen=True, slots=True)
class CountryHelp:
    """What to show first in one country: its crisis line, its emergency number, and the rest."""

    code: str
    name: str
    crisis_line: CrisisContact
    emergency: CrisisContact
    others: tuple[CrisisContact, ...]

    @property
    def everything(self) -> tuple[CrisisContact, ...]:
        """The crisis line, the other lines, then the emergency number (the help page order)."""
        return (self.crisis_line, *self.others, self.emergency)


FIND_A_HELPLINE = CrisisContact(
    "Find A Helpline: free, confidential helplines in many countries",
    "Find a helpline at findahelpline.com",
    "https://findahelpline.com",
    "https://findahelpline.com/about",
)

US = CountryHelp(
    "US",
    "United States",
    CrisisContact(
        "988 Suicide & Crisis Lifeline (US). Veterans: press 1 after the call connects.",
        "Call 988",
        "tel:988",
        # Call, text or chat 988, 24/7; press 1 for the Veterans Crisis Line.
        "https://988lifeline.org/ and https://www.veteranscrisisline.net/",
    ),
    CrisisContact(
        "Emergency services (US)",
        "Call 911",
        "tel:911",
        "https://www.911.gov/",
    ),
    (
        CrisisContact(
            "988 Suicide & Crisis Lifeline (US)", "Text 988", "sms:988", "https://988lifeline.org/"
        ),
        CrisisContact(
            "988 Suicide & Crisis Lifeline (US)",
            "Chat at 988lifeline.org",
            "https://988lifeline.org/chat/",
            "https://988lifeline.org/chat/",
        ),
        # The sms: body follows RFC 5724 ("sms:<number>?body=<text>").
        CrisisContact(
            "Crisis Text Line (US)",
            "Text HOME to 741741",
            "sms:741741?body=HOME",
            "https://www.crisistextline.org/",
        ),
        CrisisContact(
            "Outside the US",
            "Call your local emergency number, or find a helpline at findahelpline.com",
            "https://findahelpline.com",
            "https://findahelpline.com/about",
        ),
    ),
)

CANADA = CountryHelp(
    "CA",
    "Canada",
    CrisisContact(
        "9-8-8 Suicide Crisis Helpline (Canada), 24/7, in English and French",
        "Call 988",
        "tel:988",
        "https://988.ca/",
    ),
    CrisisContact("Emergency services (Canada)", "Call 911", "tel:911", "https://988.ca/"),
    (
        CrisisContact(
            "9-8-8 Suicide Crisis Helpline (Canada)", "Text 988", "sms:988", "https://988.ca/"
        ),
        FIND_A_HELPLINE,
    ),
)

SAMARITANS_UK = "https://www.samaritans.org/how-we-can-help/contact-samaritan/"
UK = CountryHelp(
    "GB",
    "United Kingdom",
    CrisisContact(
        "Samaritans (UK), free, 24 hours a day",
        "Call Samaritans on 116 123",
        "tel:116123",
        SAMARITANS_UK,
    ),
    # 999 and 112 both reach the emergency services in the UK.
    CrisisContact(
        "Emergency services (UK)",
        "Call 999",
        "tel:999",
        "https://www.nhs.uk/nhs-services/urgent-and-emergency-care-services/when-to-call-999/",
    ),
    (
        CrisisContact(
            "Shout (UK), free text support, 24/7",
            "Text SHOUT to 85258",
            "sms:85258?body=SHOUT",
            "https://giveusashout.org/get-help/",
        ),
        CrisisContact(
            "Emergency services: 112 works in the UK too",
            "Call 112",
            "tel:112",
            "https://www.nhs.uk/nhs-services/urgent-and-emergency-care-services/when-to-call-999/",
        ),
        FIND_A_HELPLINE,
    ),
)

IRELAND = CountryHelp(
    "IE",
    "Ireland",
    CrisisContact(
        "Samaritans (Ireland), free, 24 hours a day",
        "Call Samaritans on 116 123",
        "tel:116123",
        "https://www.samaritans.org/ireland/how-we-can-help/contact-samaritan/",
    ),
    # 112 and 999 both reach the emergency services in Ireland.
    CrisisContact(
        "Emergency services (Ireland)",
        "Call 112 or 999",
        "tel:112",
        "https://www.gov.ie/en/publication/4f1d1-emergency-call-answering-service/",
    ),
    (
        CrisisContact(
            "50808 (Ireland), free text support, 24/7",
            "Text HELLO to 50808",
            "sms:50808?body=HELLO",
            "https://text50808.ie/",
        ),
        FIND_A_HELPLINE,
    ),
)

AUSTRALIA = CountryHelp(
    "AU",
    "Australia",
    CrisisContact(
        "Lifeline (Australia), 24/7 crisis support",
        "Call Lifeline on 13 11 14",
        "tel:131114",
        "https://www.lifeline.org.au/",
    ),
    CrisisContact(
        "Emergency services (Australia)",
        "Call 000",
        "tel:000",
        "https://www.triplezero.gov.au/",
    ),
    (
        CrisisContact(
            "Lifeline (Australia) text service",
            "Text Lifeline on 0477 13 11 14",
            "sms:0477131114",
            "https://www.lifeline.org.au/crisis-text/",
        ),
        FIND_A_HELPLINE,
    ),
)

NEW_ZEALAND = CountryHelp(
    "NZ",
    "New Zealand",
    CrisisContact(
        "1737, Need to talk? (New Zealand), free, 24/7, trained counsellors",
        "Call 1737",
        "tel:1737",
        "https://1737.org.nz/",
    ),
    CrisisContact(
        "Emergency services (New Zealand)",
        "Call 111",
        "tel:111",
        "https://www.police.govt.nz/contact-us/emergency-111",
    ),
    (
        CrisisContact(
            "1737, Need to talk? (New Zealand)", "Text 1737", "sms:1737", "https://1737.org.nz/"
        ),
        FIND_A_HELPLINE,
    ),
)

ELSEWHERE = CountryHelp(
    "",
    "Another country",
    FIND_A_HELPLINE,
    # 112 works from mobiles across the EU and in many other countries; where it does not,
    # the local emergency number does.
    CrisisContact(
        "Emergency services: 112 from a mobile in Europe and many countries",
        "Call 112 or your local emergency number",
        "tel:112",
        "https://digital-strategy.ec.europa.eu/en/policies/112",
    ),
    (),
)

COUNTRIES: dict[str, CountryHelp] = {
    help.code: help for help in (US, CANADA, UK, IRELAND, AUSTRALIA, NEW_ZEALAND)
}

# Time zones of these countries (IANA zone.tab), and their older names still in use.
_ZONES = {
    "US": (
        "America/Adak America/Anchorage America/Boise America/Chicago America/Denver "
        "America/Detroit America/Indiana/Indianapolis America/Indiana/Knox "
        "America/Indiana/Marengo America/Indiana/Petersburg America/Indiana/Tell_City "
        "America/Indiana/Vevay America/Indiana/Vincennes America/Indiana/Winamac America/Juneau "
        "America/Kentucky/Louisville America/Kentucky/Monticello America/Los_Angeles "
        "America/Menominee America/Metlakatla America/New_York America/Nome "
        "America/North_Dakota/Beulah America/North_Dakota/Center America/North_Dakota/New_Salem "
        "America/Phoenix America/Sitka America/Yakutat Pacific/Honolulu US/Alaska US/Aleutian "
        "US/Arizona US/Central US/East-Indiana US/Eastern US/Hawaii US/Indiana-Starke "
        "US/Michigan US/Mountain US/Pacific America/Indianapolis America/Knox_IN "
        "America/Louisville America/Fort_Wayne America/Atka America/Shiprock Navajo "
        "Pacific/Johnston"
    ),
    "CA": (
        "America/Atikokan America/Blanc-Sablon America/Cambridge_Bay America/Creston "
        "America/Dawson America/Dawson_Creek America/Edmonton America/Fort_Nelson "
        "America/Glace_Bay America/Goose_Bay America/Halifax America/Inuvik America/Iqaluit "
        "America/Moncton America/Rankin_Inlet America/Regina America/Resolute America/St_Johns "
        "America/Swift_Current America/Toronto America/Vancouver America/Whitehorse "
        "America/Winnipeg Canada/Atlantic Canada/Central Canada/Eastern Canada/Mountain "
        "Canada/Newfoundland Canada/Pacific Canada/Saskatchewan Canada/Yukon America/Montreal "
        "America/Nipigon America/Pangnirtung America/Rainy_River America/Thunder_Bay "
        "America/Yellowknife"
    ),
    "GB": "Europe/London GB GB-Eire Europe/Belfast",
    "IE": "Europe/Dublin Eire",
    "AU": (
        "Antarctica/Macquarie Australia/Adelaide Australia/Brisbane Australia/Broken_Hill "
        "Australia/Darwin Australia/Eucla Australia/Hobart Australia/Lindeman "
        "Australia/Lord_Howe Australia/Melbourne Australia/Perth Australia/Sydney Australia/ACT "
        "Australia/LHI Australia/NSW Australia/North Australia/Queensland Australia/South "
        "Australia/Tasmania Australia/Victoria Australia/West Australia/Yancowinna "
        "Australia/Canberra Australia/Currie"
    ),
    "NZ": "Pacific/Auckland Pacific/Chatham NZ NZ-CHAT",
}
ZONE_COUNTRY: dict[str, str] = {
    zone: code for code, zones in _ZONES.items() for zone in zones.split()
}
# For the Settings picker: "" means "from my time zone".
COUNTRY_CHOICES: tuple[tuple[str, str], ...] = (
    *((help.code, help.name) for help in COUNTRIES.values()),
    ("other", ELSEWHERE.name),
)


def country_for_zone(zone: object) -> str:
    """The country code of a time zone among those with their own lines, else ""."""
    return ZONE_COUNTRY.get(zone, "") if isinstance(zone, str) else ""


def help_for(chosen: object, zone: object) -> CountryHelp:
    """The lines to show: the country the patient chose, else the one their zone is in, else
    (a zone of another country) findahelpline.com and 112. With nothing known at all (a visitor
    who is not signed in), the US set, which names findahelpline.com for everyone else."""
    if chosen == "other":
        return ELSEWHERE
    if isinstance(chosen, str) and chosen in COUNTRIES:
        return COUNTRIES[chosen]
    if not zone:
        return US
    return COUNTRIES.get(country_for_zone(zone), ELSEWHERE)
