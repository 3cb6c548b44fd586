import { checkScpAttachments, ScpAttachmentPlan } from '../../src/plan/scp-attachment-plan';

const plan = (path: string, policyNames: string[], targetIds: string[], maxPerTarget = 5, external = 1): ScpAttachmentPlan => ({
  path, policyNames, targets: targetIds.map((targetId) => ({ targetId, description: `target ${targetId}` })), maxPerTarget, external,
});

describe('checkScpAttachments', () => {
  test('counts every plan attaching to a target, with the strictest settings, reported once by the first path', () => {
    // GIVEN 2 + 2 policies on the root, one plan allowing 10, the other 5, and 1 attached outside
    const a = plan('App/A', ['a-1', 'a-2'], ['r-1'], 10);
    const b = plan('App/B', ['b-1', 'b-2'], ['r-1', 'ou-1']);
    const all = [b, a];
    // THEN 4 + 1 fits in 5; 4 + 2 outside does not, and only A reports it
    expect(checkScpAttachments(a, all)).toEqual([]);
    const crowded = [b, { ...a, external: 2 }];
    expect(checkScpAttachments(crowded[1], crowded)).toEqual([
      expect.stringMatching(/^target r-1: 4 guardrail policies \(a-1, a-2, b-1, b-2\) plus 2 attached outside the library make 6, over the limit of 5/),
    ]);
    expect(checkScpAttachments(b, crowded)).toEqual([]);
  });

  test('refuses a policy name another plan uses, whatever the case, once', () => {
    const a = plan('App/A', ['lz-same'], ['r-1']);
    const b = plan('App/B', ['LZ-SAME'], ['ou-1']);
    expect(checkScpAttachments(a, [a, b])).toEqual([expect.stringMatching(/policy name 'LZ-SAME' is also used by App\/B/)]);
    expect(checkScpAttachments(b, [a, b])).toEqual([]);
  });
});
