// One format per kind, as on the pages (config/formats: DATETIME_FORMAT "j F Y, H:i"):
// "3 december 2026, 15:41", in the page's language and the server's time zone, so that a time
// that arrives live reads exactly like the same time rendered by the server.
export function formatDateTime(iso) {
  const html = document.documentElement;
  const options = { day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
  const zone = document.querySelector('meta[name="time-zone"]')?.content;
  if (zone) options.timeZone = zone;
  let parts;
  try {
    parts = new Intl.DateTimeFormat(html.lang || "nl", options).formatToParts(new Date(iso));
  } catch (_err) {
    // An unknown zone name: the browser's own zone rather than no time at all.
    delete options.timeZone;
    parts = new Intl.DateTimeFormat(html.lang || "nl", options).formatToParts(new Date(iso));
  }
  const p = Object.fromEntries(parts.map((part) => [part.type, part.value]));
  return `${p.day} ${p.month} ${p.year}, ${p.hour}:${p.minute}`;
}
