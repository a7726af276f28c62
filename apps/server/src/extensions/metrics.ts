import type { CollabExtension } from '../collab/Extension.ts';
import type { Metrics } from '../metrics.ts';

/** The collaboration server's events as Prometheus counters. */
export function metricsExtension(metrics: Metrics): CollabExtension {
  return {
    name: 'metrics',
    onFrame: () => metrics.messagesReceived.inc(),
    onClose: (code) => metrics.connectionsClosed.inc({ code: String(code) }),
    onUpdateChecked: (verdict) => metrics.updatesChecked.inc({ verdict }),
    onAwarenessRefused: (reason) => metrics.awarenessRefused.inc({ reason }),
    onFault: (kind) => metrics.unhandledErrors.inc({ kind }),
  };
}
