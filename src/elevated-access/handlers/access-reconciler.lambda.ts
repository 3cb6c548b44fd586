// The reconciler's entry point: on a schedule, and on every execution of the state machine that ends abnormally.
// It also reminds approvers of requests still waiting (with backoff) and of break-glass reviews still open.
import { remindReviews } from './break-glass';
import { reconcile, ReconcileResult } from './reconcile';
import { remindPending } from './reminders';
import { loadConfig } from './store';

export async function handler(_event?: unknown): Promise<ReconcileResult & { pendingReminded: string[]; reviewsReminded: string[] }> {
  const result = await reconcile();
  const config = await loadConfig();
  return { ...result, pendingReminded: await remindPending(config), reviewsReminded: await remindReviews(config) };
}
