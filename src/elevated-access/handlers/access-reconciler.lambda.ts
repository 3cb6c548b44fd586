// The reconciler's entry point: on a schedule, and on every execution of the state machine that ends abnormally.
import { reconcile, ReconcileResult } from './reconcile';

export async function handler(_event?: unknown): Promise<ReconcileResult> {
  return reconcile();
}
