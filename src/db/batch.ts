interface Waiting<I, O> {
  input: I;
  resolve: (output: O) => void;
  reject: (error: unknown) => void;
}

/**
 * Calls arriving in one turn of the event loop run together: `run` gets
 * their inputs and answers each one's output, in order. It is for
 * PostgreSQL, where one statement for many rows costs about what one for a
 * single row does (a round trip, a parse, a commit), so `run` must keep all
 * of a batch or none of it. When a batch fails with an error that
 * `keptNothing` says left nothing behind (the database refused the
 * statement), each call runs again alone, so one call's error is its own;
 * any other error (a lost connection: was it committed?) fails every call
 * of the batch. A call whose `key` is already waiting
 * runs alone at once (two calls on one row never share a statement), and a
 * batch holds at most `max` calls.
 */
export function batched<I, O>(
  key: (input: I) => string,
  run: (inputs: I[]) => Promise<O[]>,
  keptNothing: (error: unknown) => boolean,
  max = 100,
): (input: I) => Promise<O> {
  let waiting = new Map<string, Waiting<I, O>>();
  const alone = async (input: I) => (await run([input]))[0]!;

  const flush = async (batch: Waiting<I, O>[]) => {
    let outputs: O[];
    try {
      outputs = await run(batch.map((w) => w.input));
      if (outputs.length !== batch.length)
        throw new Error(`A batch of ${batch.length} answered ${outputs.length} outputs`);
    } catch (error) {
      const again = keptNothing(error);
      for (const w of batch) again ? alone(w.input).then(w.resolve, w.reject) : w.reject(error);
      return;
    }
    batch.forEach((w, i) => w.resolve(outputs[i]!));
  };
  const take = () => {
    const batch = [...waiting.values()];
    waiting = new Map();
    return batch;
  };

  return (input) => {
    const k = key(input);
    if (waiting.has(k)) return alone(input);
    return new Promise<O>((resolve, reject) => {
      if (waiting.size === 0) setImmediate(() => waiting.size > 0 && void flush(take()));
      waiting.set(k, { input, resolve, reject });
      if (waiting.size >= max) void flush(take());
    });
  };
}
