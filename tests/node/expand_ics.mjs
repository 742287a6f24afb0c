// Reads an iCalendar feed from stdin with ical.js (pinned in package.json), registers its
// VTIMEZONEs, and prints JSON: every event (uid, summary, start as local time with its zone and
// as UTC) and, for each recurring event, its first N occurrences (argv[2], default 60) the same way.
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const days = Number(process.argv[2] || 60);
const calendar = new ICAL.Component(ICAL.parse(readFileSync(0, "utf8")));
for (const zone of calendar.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(zone);
}
const when = (time) => ({
  local: time.toString(),
  zone: time.zone ? time.zone.tzid : null,
  utc: time.isDate ? null : time.convertToZone(ICAL.Timezone.utcTimezone).toString(),
});
const events = calendar.getAllSubcomponents("vevent").map((component) => {
  const event = new ICAL.Event(component);
  const occurrences = [];
  if (event.isRecurring()) {
    const iterator = event.iterator();
    for (let next = iterator.next(); next && occurrences.length < days; next = iterator.next()) {
      occurrences.push(when(next));
    }
  }
  return { uid: event.uid, summary: event.summary, start: when(event.startDate), occurrences };
});
process.stdout.write(JSON.stringify({ events }));
