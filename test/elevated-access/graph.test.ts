// Proves from the synthesized template alone that every grant ends: walking the state machine's definition (every
// Next, Choice, Catch, timeout, the implicit failure of an uncaught task, Parallel/Map branches), no path from a
// grant task reaches the end of the execution without passing the revoke task.
import { END, escapeRoute, graphOf, sdkStates } from './asl-graph';
import { workflowStack } from './fixture';
import { definitionFromTemplate } from './world';

const GRANT = 'ssoadmin:createAccountAssignment';
const REVOKE = 'ssoadmin:deleteAccountAssignment';

describe('ElevatedAccessWorkflow state machine graph (synthesized template)', () => {
  const definition = definitionFromTemplate(workflowStack().stack);
  const graph = graphOf(definition);

  test('every path after a grant task reaches a revoke task (SDK integration)', () => {
    // GIVEN
    const grants = sdkStates(graph, GRANT);
    const revokes = new Set(sdkStates(graph, REVOKE));
    expect(grants).toEqual(['CreateAssignment']);
    expect([...revokes]).toEqual(['DeleteAssignment']);
    expect(graph.states.get('DeleteAssignment').Resource).toBe('arn:aws:states:::aws-sdk:ssoadmin:deleteAccountAssignment');
    // WHEN / THEN: from each grant, and from every state reachable from it, there is no way out but the revoke
    for (const g of grants) {
      expect(escapeRoute(graph, g, revokes)).toBeUndefined();
      for (const s of reachable(g, revokes)) expect({ from: s, escape: escapeRoute(graph, s, revokes) }).toEqual({ from: s, escape: undefined });
    }
  });

  test('no Lambda decides the grant or the revoke: no other task calls Identity Center to create or delete', () => {
    const writers = [...graph.states].filter(([, s]) => s.Type === 'Task' && /(create|delete)AccountAssignment/i.test(JSON.stringify(s.Resource)));
    expect(writers.map(([n]) => n).sort()).toEqual(['CreateAssignment', 'DeleteAssignment']);
  });

  test('every task has a Retry and a Catch for every error', () => {
    const tasks = [...graph.states].filter(([, s]) => s.Type === 'Task');
    expect(tasks.length).toBeGreaterThan(20);
    const missing = tasks.filter(([, s]) => !(s.Retry?.length > 0) || !(s.Catch ?? []).some((c: any) => c.ErrorEquals.includes('States.ALL')));
    expect(missing.map(([n]) => n)).toEqual([]);
  });

  test('a failed grant goes to the revoke too, and the revoke retries forever', () => {
    // the failure handler of the grant and of its status poll is the revoke chain, not an end
    expect(graph.states.get('CreateAssignment').Catch[0].Next).toBe('GrantFailed');
    expect(graph.states.get('DescribeCreation').Catch[0].Next).toBe('GrantFailed');
    expect(escapeRoute(graph, 'GrantFailed', new Set(['DeleteAssignment']))).toBeUndefined();
    expect(graph.states.get('RetryRevokeLater').Next).toBe('DeleteAssignment');
  });

  describe('the walker can fail', () => {
    test('finds the way out when a grant poll has no catch (its failure would end the execution)', () => {
      // GIVEN: the synthesized definition with the catch of the status poll removed
      const broken = JSON.parse(JSON.stringify(definition));
      delete broken.States.DescribeCreation.Catch;
      // WHEN
      const route = escapeRoute(graphOf(broken), 'CreateAssignment', new Set(['DeleteAssignment']));
      // THEN
      expect(route).toEqual(['CreateAssignment', 'WaitForCreation', 'DescribeCreation', END]);
    });

    test('finds the way out when the owner may skip the revoke, and through Parallel and Map branches', () => {
      const broken = JSON.parse(JSON.stringify(definition));
      broken.States.OtherGrantsActive.Default = 'ReleasedOwner';
      expect(escapeRoute(graphOf(broken), 'CreateAssignment', new Set(['DeleteAssignment']))).toContain('OtherGrantsActive');
      const nested = {
        StartAt: 'P',
        States: {
          P: {
            Type: 'Parallel',
            Next: 'Done',
            Branches: [{ StartAt: 'Grant', States: { Grant: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:ssoadmin:createAccountAssignment', Retry: [{}], Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Out' }], End: true }, Out: { Type: 'Succeed' } } }],
          },
          Done: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:ssoadmin:deleteAccountAssignment', End: true },
        },
      };
      const g = graphOf(nested);
      // the branch's normal end reaches the revoke after the Parallel; its Succeed inside the branch does too
      expect(escapeRoute(g, 'P/0/Grant', new Set(['Done']))).toBeUndefined();
      // a Map whose item processor ends by failing escapes
      const map = { StartAt: 'M', States: { M: { Type: 'Map', End: true, ItemProcessor: { StartAt: 'Grant', States: { Grant: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:ssoadmin:createAccountAssignment', End: true } } } } } };
      expect(escapeRoute(graphOf(map), 'M/0/Grant', new Set())).toEqual(['M/0/Grant', END]);
    });
  });

  function reachable(from: string, stop: Set<string>): string[] {
    const seen = new Set<string>([from]);
    const queue = [from];
    while (queue.length > 0) {
      for (const n of graph.edges.get(queue.shift()!) ?? []) {
        if (n === END || stop.has(n) || seen.has(n)) continue;
        seen.add(n);
        queue.push(n);
      }
    }
    return [...seen];
  }
});
