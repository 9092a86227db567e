import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import {
  appendNode,
  captured,
  capturedPromise,
  type IntrusiveList,
  type ListNode,
  unlinkNode,
} from '../../src/ports/intrusive-list.js';

interface Node extends ListNode<Node> {
  readonly id: number;
}

const node = (id: number): Node => ({ id, list: undefined, prev: undefined, next: undefined });

function ids(list: IntrusiveList<Node>): number[] {
  const out: number[] = [];
  for (let n = list.head; n !== undefined; n = n.next) out.push(n.id);
  return out;
}

describe('intrusive list', () => {
  test.prop([fc.array(fc.boolean(), { maxLength: 40 })], { seed: 20261207 })(
    'appends in order, unlinks any node, and leaves a node unlinked twice alone (model: an array)',
    (removals) => {
      const list: IntrusiveList<Node> = { head: undefined, tail: undefined };
      const nodes = removals.map((_, i) => node(i));
      for (const n of nodes) appendNode(list, n);
      const model = nodes.map((n) => n.id);
      removals.forEach((remove, i) => {
        if (!remove) return;
        const target = nodes[i] as Node;
        unlinkNode(target);
        unlinkNode(target);
        model.splice(model.indexOf(i), 1);
        expect(target.list).toBeUndefined();
      });
      expect(ids(list)).toEqual(model);
      expect(list.tail?.id).toBe(model.at(-1));
      expect(list.head?.prev).toBeUndefined();
    },
  );
});

describe('capturedPromise', () => {
  it('hands out the settle functions of the promise it made last', async () => {
    const first = capturedPromise<number>();
    const resolveFirst = captured.resolve as (value: number) => void;
    const second = capturedPromise<number>();
    const rejectSecond = captured.reject;
    resolveFirst(1);
    rejectSecond(new Error('second'));
    await expect(first).resolves.toBe(1);
    await expect(second).rejects.toThrow('second');
  });
});
