import { minifiedLength, UNRESOLVED_ALLOWANCE_CHARS } from '../../src/private/policy-size';
import { documentLength, PackableStatement, packStatements } from '../../src/private/scp-packing';

function statement(sid: string, size: number): PackableStatement {
  const base = { Sid: sid, Effect: 'Deny', Action: '*', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalTag/p': '' } } };
  const pad = size - JSON.stringify(base).length;
  return { guardrail: sid, json: { ...base, Condition: { StringEquals: { 'aws:PrincipalTag/p': 'x'.repeat(pad) } } } };
}

describe('scp packing', () => {
  test('measures minified json as AWS counts it', () => {
    expect(minifiedLength({ Version: '2012-10-17', Statement: [] })).toBe('{"Version":"2012-10-17","Statement":[]}'.length);
    expect(minifiedLength(statement('A', 500).json)).toBe(500);
  });

  test('counts pseudo parameters at their longest value and other expressions at a fixed allowance', () => {
    expect(minifiedLength({ a: { Ref: 'AWS::AccountId' } })).toBe(minifiedLength({ a: '123456789012' }));
    expect(minifiedLength({ a: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':x']] } }))
      .toBe(minifiedLength({ a: 'arn:aws-us-gov:x' }));
    expect(minifiedLength({ a: { 'Fn::GetAtt': ['Thing', 'Arn'] } })).toBe(minifiedLength({ a: 'x'.repeat(UNRESOLVED_ALLOWANCE_CHARS) }));
  });

  test('first-fit decreasing uses as few policies as fit and never exceeds the limit', () => {
    // GIVEN 3000 + 2000 + 2000 + 1500 + 1500 + 1000: 11,000 characters of statements, more than two policies of
    // 5,120 hold with the document overhead, so three are needed
    const items = [statement('A', 1000), statement('B', 3000), statement('C', 2000), statement('D', 2000), statement('E', 1500), statement('F', 1500)];
    // WHEN
    const { policies, oversize } = packStatements(items, 5120);
    // THEN
    expect(oversize).toEqual([]);
    expect(policies).toHaveLength(3);
    for (const p of policies) {
      expect(p.size).toBe(documentLength(p.statements));
      expect(p.size).toBeLessThanOrEqual(5120);
    }
    expect(policies.flatMap((p) => p.statements.map((s) => s.guardrail)).sort()).toEqual(['A', 'B', 'C', 'D', 'E', 'F']);
    // largest first: B and C open the first policy, D and E the second, F and A the third; order inside follows the input
    expect(policies.map((p) => p.statements.map((s) => s.guardrail))).toEqual([['B', 'C'], ['D', 'E', 'F'], ['A']]);
  });

  test('a policy is filled exactly to the limit', () => {
    const empty = documentLength([]);
    // two statements and one comma fill the document to exactly 5,120 characters
    const a = statement('A', 2000);
    const b = statement('B', 5120 - empty - 2000 - 1);
    expect(packStatements([a, b], 5120).policies).toHaveLength(1);
    const c = statement('C', 5120 - empty - 2000);
    expect(packStatements([a, c], 5120).policies).toHaveLength(2);
  });

  test('a statement alone over the limit is returned as oversize, not dropped or truncated', () => {
    const { policies, oversize } = packStatements([statement('A', 200), statement('Big', 6000)], 5120);
    expect(policies.map((p) => p.statements.map((s) => s.guardrail))).toEqual([['A']]);
    expect(oversize.map((o) => [o.statement.guardrail, o.size])).toEqual([['Big', 6000 + documentLength([])]]);
  });
});
