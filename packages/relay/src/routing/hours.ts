import type { DeskHours } from '@parley/protocol';

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/**
 * True when `at` falls inside one of the opening windows, in the hours' time zone.
 * An unknown time zone counts as closed (and the config check names it).
 *
 * @example
 * isOpen({ timezone: 'Europe/Berlin', windows: [{ days: [1, 2, 3, 4, 5], from: '09:00', to: '18:00' }] }, Date.now());
 */
export function isOpen(hours: DeskHours, at: number): boolean {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-US', { timeZone: hours.timezone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  } catch {
    return false;
  }
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const day = WEEKDAYS[get('weekday')] ?? 0;
  const minutes = Number(get('hour')) * 60 + Number(get('minute'));
  const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
  return hours.windows.some((w) => w.days.includes(day) && minutes >= toMinutes(w.from) && minutes < toMinutes(w.to));
}
