// When waiting approvers are reminded (reminder-policy.ts): backoff from 15 minutes, doubling, capped at 4 hours.
import { FIRST_REMINDER_SECONDS, MAX_REMINDER_GAP_SECONDS, reminderDue } from '../../src/elevated-access/handlers/reminder-policy';

const T0 = 1_800_000_000_000;
const MIN = 60_000;
const expires = T0 + 7 * 24 * 60 * MIN;

describe('reminders (reminder-policy.ts)', () => {
  test('the first reminder 15 minutes after the request', () => {
    expect(FIRST_REMINDER_SECONDS).toBe(900);
    expect(reminderDue(T0, undefined, 0, expires, T0 + 15 * MIN - 1)).toBe(false);
    expect(reminderDue(T0, undefined, 0, expires, T0 + 15 * MIN)).toBe(true);
  });

  test('each next one twice as long after the last', () => {
    const last = T0 + 20 * MIN;
    expect(reminderDue(T0, last, 1, expires, last + 30 * MIN - 1)).toBe(false);
    expect(reminderDue(T0, last, 1, expires, last + 30 * MIN)).toBe(true);
    expect(reminderDue(T0, last, 2, expires, last + 60 * MIN - 1)).toBe(false);
    expect(reminderDue(T0, last, 2, expires, last + 60 * MIN)).toBe(true);
  });

  test('never further apart than 4 hours', () => {
    expect(MAX_REMINDER_GAP_SECONDS).toBe(14_400);
    const last = T0 + 10 * 60 * MIN;
    expect(reminderDue(T0, last, 6, expires, last + 240 * MIN - 1)).toBe(false);
    expect(reminderDue(T0, last, 6, expires, last + 240 * MIN)).toBe(true);
    expect(reminderDue(T0, last, 40, expires, last + 240 * MIN)).toBe(true);
  });

  test('nothing once the request has expired', () => {
    expect(reminderDue(T0, undefined, 0, T0 + 20 * MIN, T0 + 20 * MIN)).toBe(false);
    expect(reminderDue(T0, undefined, 0, T0 + 20 * MIN, T0 + 20 * MIN - 1)).toBe(true);
  });
});
