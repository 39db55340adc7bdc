/** What one batch transaction did: for the metrics and the outbox wake-up. */
export interface BatchReport {
  stored: number;
  duplicates: number;
  conflicts: number;
  attached: number;
  opened: number;
  /** How the fresh events were correlated: from the reached incidents' snapshots, or from their events (null: none fresh). */
  correlatedFrom: 'snapshots' | 'events' | null;
}
