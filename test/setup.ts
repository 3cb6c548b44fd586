// Node 20 lacks Promise.withResolvers, which aws-local-stepfunctions uses.
if (typeof (Promise as any).withResolvers !== 'function') {
  (Promise as any).withResolvers = function withResolvers<T>() {
    let resolve!: (value: T | PromiseLike<T>) => void;
    let reject!: (reason?: unknown) => void;
    const promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}

// Lambda handlers log through Powertools; keep test output readable (set POWERTOOLS_LOG_LEVEL to see them).
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
