/**
 * Loaded with `--import` into every benchmarked server process (Debrief and its peers alike), so
 * event-loop delay is measured the same way everywhere. It talks to the harness over the IPC
 * channel the harness opens: `eld:reset` starts a measuring window, `eld:read` answers the
 * window's figures in milliseconds. When the harness goes away the server is asked to stop
 * (SIGTERM), so no server outlives a crashed harness.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';

const histogram = monitorEventLoopDelay({ resolution: 10 });
histogram.enable();

const ms = (ns: number) => (Number.isFinite(ns) ? ns / 1e6 : 0);

if (process.send) {
  process.on('message', (message: { type?: string; id?: number }) => {
    if (message?.type === 'eld:reset') {
      histogram.reset();
    } else if (message?.type === 'eld:read') {
      process.send?.({
        type: 'eld',
        id: message.id,
        p50: ms(histogram.percentile(50)),
        p99: ms(histogram.percentile(99)),
        max: ms(histogram.max),
        mean: ms(histogram.mean),
        count: histogram.count,
      });
    }
  });
  process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
}
