import { Organization } from '../organization';

/** What a guardrail needs to produce its statements; problems are collected, never thrown one by one. */
export interface GuardrailContext {
  readonly organization: Organization;
  /** Field prefix for problems, e.g. `guardrails[2]`. */
  readonly field: string;
  /** `[field, message]` pairs. */
  readonly problems: Array<[string, string]>;
}
