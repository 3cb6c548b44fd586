// When waiting approvers are reminded. Pure code.

/** The first reminder of a waiting request comes this long after the request; each next one twice as long after. */
export const FIRST_REMINDER_SECONDS = 15 * 60;
/** Reminders are never further apart than this. */
export const MAX_REMINDER_GAP_SECONDS = 4 * 3600;

/**
 * Whether a request still waiting for approval is due a reminder at `now`: the gap since the request (or the last
 * reminder) doubles with every reminder, from 15 minutes up to 4 hours, and nothing is sent once it has expired.
 */
export function reminderDue(
  createdAt: number, lastRemindedAt: number | undefined, reminders: number, pendingExpiresAt: number, now: number,
): boolean {
  if (now >= pendingExpiresAt) return false;
  const gap = Math.min(FIRST_REMINDER_SECONDS * 2 ** reminders, MAX_REMINDER_GAP_SECONDS) * 1000;
  return now >= (lastRemindedAt ?? createdAt) + gap;
}
