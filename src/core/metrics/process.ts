import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Counter, Gauge, type Registry } from 'prom-client';

/**
 * The process's figures, read at each scrape: CPU, memory, the event loop's lag. Not prom-client's
 * `collectDefaultMetrics`: its GC observer is told of every garbage collection, a cost on every request for a figure
 * the CPU and heap already show (measured in docs/decisions.md).
 */
export function processMetrics(registry: Registry): () => void {
  const registers = [registry];
  const lag = monitorEventLoopDelay({ resolution: 20 });
  lag.enable();
  // The percentiles are since the previous scrape.
  new Gauge({
    name: 'usher_eventloop_lag_seconds',
    help: 'Event loop delay since the previous scrape, by quantile (p50, p99, max)',
    labelNames: ['quantile'] as const,
    registers,
    collect() {
      const seconds = (ns: number) => (Number.isFinite(ns) ? ns / 1e9 : 0);
      this.set({ quantile: '0.5' }, seconds(lag.percentile(50)));
      this.set({ quantile: '0.99' }, seconds(lag.percentile(99)));
      this.set({ quantile: '1' }, seconds(lag.max));
      lag.reset();
    },
  });
  let cpu = process.cpuUsage();
  new Counter({
    name: 'usher_process_cpu_seconds_total',
    help: 'CPU time this process has used (user and system)',
    registers,
    collect() {
      const now = process.cpuUsage();
      this.inc((now.user - cpu.user + now.system - cpu.system) / 1e6);
      cpu = now;
    },
  });
  const memory = new Gauge({
    name: 'usher_process_memory_bytes',
    help: 'Memory of this process: resident set, V8 heap used and total, external',
    labelNames: ['kind'] as const,
    registers,
    collect() {
      const m = process.memoryUsage();
      memory.set({ kind: 'rss' }, m.rss);
      memory.set({ kind: 'heap_used' }, m.heapUsed);
      memory.set({ kind: 'heap_total' }, m.heapTotal);
      memory.set({ kind: 'external' }, m.external);
    },
  });
  new Gauge({
    name: 'usher_process_start_time_seconds',
    help: 'When this process started (Unix time)',
    registers,
    collect() {
      this.set(Math.round(Date.now() / 1000 - process.uptime()));
    },
  });
  return () => lag.disable();
}
