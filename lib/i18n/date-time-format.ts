/**
 * A date-and-time format ("Dec 7, 2026, 11:11 AM") for a locale and zone, made once per process:
 * building an Intl.DateTimeFormat costs ICU a third of a millisecond, as much as a list page's
 * rows cost to format, so a page must not build one per view.
 */
const formats = new Map<string, Intl.DateTimeFormat>();

export function mediumDateTimeFormat(locale: string, timeZone: string): Intl.DateTimeFormat {
  const key = `${locale}\u0000${timeZone}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone });
    formats.set(key, format);
  }
  return format;
}
