/** What one batch transaction did: for the metrics and the outbox wake-up. */
export interface BatchReport {
  stored: number;
  duplicates: number;
  conflicts: number;
  attached: number;
  opened: number;
}
