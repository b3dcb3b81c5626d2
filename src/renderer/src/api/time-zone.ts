import { DEFAULT_TIME_ZONE } from '@shared/domain/time-zone';

/**
 * The console's own time zone (IANA name), sent with every call that counts days: "today", day
 * points, daily quota usage, statements and their CSV are then the days this screen shows.
 */
export const consoleTimeZone: string = Intl.DateTimeFormat().resolvedOptions().timeZone || DEFAULT_TIME_ZONE;
