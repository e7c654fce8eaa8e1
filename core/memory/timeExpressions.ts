/** A span of time a question points at, in epoch ms: [from, to). */
export interface TimeRange {
  from: number;
  to: number;
}

const dayMs = 86_400_000;

export const monthNames = [
  "january",
  "february",
  "march",
  "april",
  "may",
  "june",
  "july",
  "august",
  "september",
  "october",
  "november",
  "december",
];
const monthPattern =
  "(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";
const weekdays = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];
const numberWords: Record<string, number> = {
  a: 1,
  an: 1,
  one: 1,
  couple: 2,
  "a couple of": 2,
  two: 2,
  three: 3,
  few: 3,
  "a few": 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
};
const unitDays: Record<string, number> = { day: 1, week: 7, month: 30.4, year: 365.25 };

const monthIndex = (name: string) => monthNames.findIndex((month) => month.startsWith(name.toLowerCase().slice(0, 3)));
const startOfDay = (at: number) => Math.floor(at / dayMs) * dayMs;

/** The month range of `month` in `year`, or, without a year, its latest occurrence that has begun by `now`. */
function monthRange(month: number, year: number | null, now: number): TimeRange {
  let y = year ?? new Date(now).getUTCFullYear();
  if (year === null && Date.UTC(y, month, 1) > now) y -= 1;
  return { from: Date.UTC(y, month, 1), to: Date.UTC(y, month + 1, 1) };
}

/**
 * The time spans a question names, relative to `now` where it is relative ("last week", "two months ago", "in
 * May", "on 13 October, 2023"). Questions about "when" something happened name no span and get none; a span is a
 * hint that lifts memories from then, never a filter.
 */
export function timeRangesIn(question: string, now: number): TimeRange[] {
  const text = question.toLowerCase();
  const ranges: TimeRange[] = [];
  const taken: [number, number][] = [];
  const add = (match: RegExpExecArray, range: TimeRange) => {
    const start = match.index;
    const end = start + match[0].length;
    if (taken.some(([s, e]) => start < e && end > s)) return;
    taken.push([start, end]);
    ranges.push(range);
  };
  const each = (pattern: RegExp, handle: (match: RegExpExecArray) => TimeRange | null) => {
    for (const match of text.matchAll(pattern)) {
      const range = handle(match as RegExpExecArray);
      if (range) add(match as RegExpExecArray, range);
    }
  };

  // Full dates: "october 13, 2023", "13 october 2023", "1 february, 2023".
  each(new RegExp(`\\b${monthPattern}\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})\\b`, "g"), (m) => {
    const from = Date.UTC(Number(m[3]), monthIndex(m[1]!), Number(m[2]));
    return { from, to: from + dayMs };
  });
  each(new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?${monthPattern},?\\s+(\\d{4})\\b`, "g"), (m) => {
    const from = Date.UTC(Number(m[3]), monthIndex(m[2]!), Number(m[1]));
    return { from, to: from + dayMs };
  });
  // A month with a year: "december 2023".
  each(new RegExp(`\\b${monthPattern},?\\s+(\\d{4})\\b`, "g"), (m) => monthRange(monthIndex(m[1]!), Number(m[2]), now));
  // A month on its own, only after a preposition ("may" is also a verb): "in june", "since march".
  each(new RegExp(`\\b(?:in|during|since|of|early|late|mid|last|this|past)\\s+${monthPattern}\\b`, "g"), (m) =>
    monthRange(monthIndex(m[1]!), null, now),
  );
  // A year: "in 2022".
  each(/\b(?:in|during|of|since)\s+((?:19|20)\d\d)\b/g, (m) => ({
    from: Date.UTC(Number(m[1]), 0, 1),
    to: Date.UTC(Number(m[1]) + 1, 0, 1),
  }));
  // "N units ago": a span around that point, wider for longer distances.
  each(
    /\b(\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a few|few|a couple of|couple)\s+(day|week|month|year)s?\s+ago\b/g,
    (m) => {
      const count = /^\d+$/.test(m[1]!) ? Number(m[1]) : (numberWords[m[1]!] ?? 1);
      const days = count * unitDays[m[2]!]!;
      const centre = now - days * dayMs;
      const spread = (Math.max(1, days * 0.25) + 1) * dayMs;
      return { from: centre - spread, to: centre + spread };
    },
  );
  // "last/past/this week|month|year", "last few months", "past couple of weeks".
  each(
    /\b(?:last|past|this)\s+(?:(few|couple of|\d+|two|three|four|five|six)\s+)?(day|week|weekend|month|year)s?\b/g,
    (m) => {
      if (m[2] === "weekend") {
        const saturday = lastWeekday(6, now);
        return { from: saturday - dayMs, to: saturday + 2 * dayMs };
      }
      const count = m[1] ? (/^\d+$/.test(m[1]) ? Number(m[1]) : (numberWords[m[1]] ?? 3)) : 1;
      const days = count * unitDays[m[2]!]!;
      return { from: now - days * 1.2 * dayMs, to: now + dayMs };
    },
  );
  // "last saturday", "on monday".
  each(/\b(?:last|on|this past)\s+(sunday|monday|tuesday|wednesday|thursday|friday|saturday)\b/g, (m) => {
    const day = lastWeekday(weekdays.indexOf(m[1]!), now);
    return { from: day - dayMs, to: day + 2 * dayMs };
  });
  // "Before today" / "until today" bound a span rather than name one.
  each(/(?<!\b(?:before|until|till|up to|since)\s+)\b(yesterday|today|tonight|last night)\b/g, (m) => {
    const day = startOfDay(now) - (m[1] === "yesterday" || m[1] === "last night" ? dayMs : 0);
    return { from: day - dayMs, to: day + 2 * dayMs };
  });
  return ranges;
}

/** Start of the latest given weekday strictly before `now`'s day. */
function lastWeekday(weekday: number, now: number): number {
  const today = startOfDay(now);
  const back = (new Date(today).getUTCDay() - weekday + 7) % 7 || 7;
  return today - back * dayMs;
}
