// The matcher itself, checked against the examples of the Amazon EventBridge User Guide ("Event patterns",
// "Content filtering in Amazon EventBridge event patterns") paraphrased as cases.
import { matchesPattern } from './event-pattern';

const EC2_EVENT = {
  'source': 'aws.ec2',
  'detail-type': 'EC2 Instance State-change Notification',
  'resources': ['arn:aws:ec2:us-east-1:123456789012:instance/i-1234567890abcdef0'],
  'detail': { 'instance-id': 'i-1234567890abcdef0', 'state': 'terminated', 'c-count': 5, 'd-count': 3, 'x-limit': 301.8 },
};

describe('matchesPattern (EventBridge semantics)', () => {
  test('every field must match; unnamed event fields are ignored', () => {
    expect(matchesPattern({ source: ['aws.ec2'] }, EC2_EVENT)).toBe(true);
    expect(matchesPattern({ source: ['aws.ec2'], detail: { state: ['running'] } }, EC2_EVENT)).toBe(false);
    expect(matchesPattern({ source: ['aws.ec2'], detail: { state: ['running', 'terminated'] } }, EC2_EVENT)).toBe(true);
  });

  test('an array in the event matches when any element matches', () => {
    expect(matchesPattern({ resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-1234567890abcdef0'] }, EC2_EVENT)).toBe(true);
    expect(matchesPattern({ resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-other'] }, EC2_EVENT)).toBe(false);
  });

  test('prefix, suffix, equals-ignore-case and wildcard match strings only', () => {
    expect(matchesPattern({ detail: { state: [{ prefix: 'term' }] } }, EC2_EVENT)).toBe(true);
    expect(matchesPattern({ detail: { state: [{ prefix: 'Term' }] } }, EC2_EVENT)).toBe(false);
    expect(matchesPattern({ detail: { state: [{ prefix: { 'equals-ignore-case': 'TERM' } }] } }, EC2_EVENT)).toBe(true);
    expect(matchesPattern({ detail: { state: [{ suffix: 'nated' }] } }, EC2_EVENT)).toBe(true);
    expect(matchesPattern({ detail: { state: [{ 'equals-ignore-case': 'TERMINATED' }] } }, EC2_EVENT)).toBe(true);
    expect(matchesPattern({ detail: { state: [{ wildcard: 't*d' }] } }, EC2_EVENT)).toBe(true);
    expect(matchesPattern({ detail: { 'c-count': [{ prefix: '5' }] } }, EC2_EVENT)).toBe(false);
  });

  test('anything-but excludes values, lists and prefixes, and does not match a missing field', () => {
    expect(matchesPattern({ detail: { state: [{ 'anything-but': 'running' }] } }, EC2_EVENT)).toBe(true);
    expect(matchesPattern({ detail: { state: [{ 'anything-but': ['running', 'terminated'] }] } }, EC2_EVENT)).toBe(false);
    expect(matchesPattern({ detail: { state: [{ 'anything-but': { prefix: 'term' } }] } }, EC2_EVENT)).toBe(false);
    expect(matchesPattern({ detail: { missing: [{ 'anything-but': 'x' }] } }, EC2_EVENT)).toBe(false);
  });

  test('numeric ranges and numeric literals', () => {
    expect(matchesPattern({ detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] } }, EC2_EVENT)).toBe(true);
    expect(matchesPattern({ detail: { 'd-count': [{ numeric: ['<', 10] }] } }, EC2_EVENT)).toBe(true);
    expect(matchesPattern({ detail: { 'x-limit': [{ numeric: ['=', 3.018e2] }] } }, EC2_EVENT)).toBe(true);
    expect(matchesPattern({ detail: { 'c-count': [{ numeric: ['>', 5] }] } }, EC2_EVENT)).toBe(false);
    expect(matchesPattern({ detail: { 'c-count': [5] } }, EC2_EVENT)).toBe(true);
    expect(matchesPattern({ detail: { 'c-count': ['5'] } }, EC2_EVENT)).toBe(false);
  });

  test('exists, and a missing field matches only exists: false', () => {
    expect(matchesPattern({ detail: { state: [{ exists: true }] } }, EC2_EVENT)).toBe(true);
    expect(matchesPattern({ detail: { state: [{ exists: false }] } }, EC2_EVENT)).toBe(false);
    expect(matchesPattern({ detail: { errorCode: [{ exists: false }] } }, EC2_EVENT)).toBe(true);
    expect(matchesPattern({ detail: { errorCode: ['AccessDenied'] } }, EC2_EVENT)).toBe(false);
    expect(matchesPattern({ nothing: { deeper: [{ exists: false }] } }, EC2_EVENT)).toBe(true);
    expect(matchesPattern({ nothing: { deeper: ['x'] } }, EC2_EVENT)).toBe(false);
  });

  test('null and empty-string literals match only themselves', () => {
    expect(matchesPattern({ a: [null] }, { a: null })).toBe(true);
    expect(matchesPattern({ a: [null] }, {})).toBe(false);
    expect(matchesPattern({ a: [''] }, { a: '' })).toBe(true);
    expect(matchesPattern({ a: [''] }, { a: null })).toBe(false);
  });

  test('$or matches when any branch matches', () => {
    const p = { source: ['aws.ec2'], $or: [{ detail: { 'c-count': [{ numeric: ['>', 10] }] } }, { detail: { state: ['terminated'] } }] };
    expect(matchesPattern(p, EC2_EVENT)).toBe(true);
    expect(matchesPattern({ $or: [{ detail: { state: ['running'] } }] }, EC2_EVENT)).toBe(false);
  });

  test('refuses what EventBridge refuses instead of guessing', () => {
    expect(() => matchesPattern({ source: 'aws.ec2' } as any, EC2_EVENT)).toThrow(/must be an object or an array/);
    expect(() => matchesPattern({ source: [] }, EC2_EVENT)).toThrow(/empty array/);
    expect(() => matchesPattern({ source: [{ cidr: '10.0.0.0/8' }] }, EC2_EVENT)).toThrow(/unsupported matcher/);
  });
});
