import assert from 'node:assert/strict';
import { test } from 'node:test';
import { batched } from './batch.js';

test('batched: calls of one turn run together; a key already waiting runs alone; a refused batch reruns each call alone, a lost one fails them all; max splits', async () => {
  const runs: string[][] = [];
  const call = batched(
    (s: string) => s.replace(/#.*/, ''),
    async (inputs: string[]) => {
      runs.push(inputs);
      if (inputs.includes('lost')) throw new Error('connection lost: committed or not?');
      if (inputs.length > 1 && inputs.some((s) => s.startsWith('bad'))) throw new Error('the batch fails');
      if (inputs[0]!.startsWith('bad')) throw new Error(`${inputs[0]} fails`);
      return inputs.map((s) => s.toUpperCase());
    },
    (error) => !String(error).includes('connection'),
    3,
  );

  assert.deepEqual(await Promise.all(['a', 'b'].map(call)), ['A', 'B']);
  assert.deepEqual(runs, [['a', 'b']]);

  runs.length = 0;
  assert.deepEqual(await Promise.all(['x', 'x#twin', 'y'].map(call)), ['X', 'X#TWIN', 'Y']);
  assert.deepEqual(runs, [['x#twin'], ['x', 'y']], 'the twin ran alone, at once');

  runs.length = 0;
  const outcomes = await Promise.allSettled(['c', 'bad', 'd'].map(call));
  assert.deepEqual(
    outcomes.map((o) => o.status),
    ['fulfilled', 'rejected', 'fulfilled'],
  );
  assert.deepEqual(runs, [['c', 'bad', 'd'], ['c'], ['bad'], ['d']]);

  // An error that may have kept the batch (a lost connection) fails every call of it, and nothing runs again.
  runs.length = 0;
  const lost = await Promise.allSettled(['e', 'lost'].map(call));
  assert.deepEqual(
    lost.map((o) => o.status),
    ['rejected', 'rejected'],
  );
  assert.deepEqual(runs, [['e', 'lost']]);

  runs.length = 0;
  assert.deepEqual(await Promise.all(['1', '2', '3', '4', '5'].map(call)), ['1', '2', '3', '4', '5']);
  assert.deepEqual(
    runs,
    [
      ['1', '2', '3'],
      ['4', '5'],
    ],
    'at most 3 a batch',
  );
});
