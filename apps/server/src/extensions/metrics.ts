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
    onConnectionCapped: (limit) => metrics.connectionsRefused.inc({ limit }),
    onDocumentTooLarge: () => metrics.documentTooLarge.inc(),
    onRemoteUpdate: () => metrics.remoteUpdatesApplied.inc(),
    onGap: () => metrics.logGaps.inc(),
    onCatchUp: (_document, { rows, seconds }) => {
      metrics.rowsCaughtUp.inc(rows);
      metrics.catchUpSeconds.observe(seconds);
    },
  };
}
