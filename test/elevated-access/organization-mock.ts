// AWS Organizations for the handlers, mocked: where each account is placed now (tests move accounts), answered by
// ListParents one level at a time, as AWS does; an unknown child is ChildNotFoundException.
import { ListParentsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { mockClient } from 'aws-sdk-client-mock';

export class OrganizationMock {
  /** Each account's chain of parents, nearest first, up to the root. */
  public readonly placement = new Map<string, string[]>();
  /** Every child the handlers asked about, in order. */
  public readonly calls: string[] = [];
  private readonly client = mockClient(OrganizationsClient);

  /** Forgets the placements and calls and answers from `placement` again. */
  public reset(): void {
    this.placement.clear();
    this.calls.length = 0;
    this.client.reset();
    this.client.on(ListParentsCommand).callsFake(async ({ ChildId }: { ChildId: string }) => {
      this.calls.push(ChildId);
      const id = this.parentOf(ChildId);
      if (!id) throw Object.assign(new Error(`${ChildId} is not in the organization`), { name: 'ChildNotFoundException' });
      return { Parents: [{ Id: id, Type: id.startsWith('r-') ? 'ROOT' : 'ORGANIZATIONAL_UNIT' }] };
    });
  }

  /** Every ListParents call fails from now on (e.g. throttling). */
  public fail(name = 'TooManyRequestsException'): void {
    this.client.on(ListParentsCommand).rejects(Object.assign(new Error('Rate exceeded'), { name }));
  }

  public restore(): void {
    this.client.restore();
  }

  private parentOf(child: string): string | undefined {
    if (this.placement.has(child)) return this.placement.get(child)![0];
    for (const chain of this.placement.values()) {
      const i = chain.indexOf(child);
      if (i >= 0 && i + 1 < chain.length) return chain[i + 1];
    }
    return undefined;
  }
}
