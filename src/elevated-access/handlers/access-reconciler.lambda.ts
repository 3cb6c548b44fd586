// The reconciler's entry point: on a schedule, and on every execution of the state machine that ends abnormally.
// On the schedule it also reminds approvers of break-glass reviews still open.
import { remindReviews } from './break-glass';
import { reconcile, ReconcileResult } from './reconcile';
import { loadConfig } from './store';

export async function handler(_event?: unknown): Promise<ReconcileResult & { reviewsReminded: string[] }> {
  const result = await reconcile();
  return { ...result, reviewsReminded: await remindReviews(await loadConfig()) };
}
