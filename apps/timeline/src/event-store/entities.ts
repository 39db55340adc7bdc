import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { IncidentState } from '@app/domain';

/** Projection row: the incident state as the event log says, plus columns the API filters and sorts on. */
@Entity({ name: 'incidents' })
export class IncidentRecord {
  @PrimaryColumn({ type: 'text' }) id!: string;
  @Column({ type: 'text' }) service!: string;
  @Column({ type: 'text' }) status!: string;
  @Column({ name: 'is_open', type: 'boolean' }) isOpen!: boolean;
  @Column({ name: 'first_event_at', type: 'timestamptz' }) firstEventAt!: Date;
  @Column({ name: 'resolved_at', type: 'timestamptz', nullable: true }) resolvedAt!: Date | null;
  @Column({ name: 'last_event_at', type: 'timestamptz' }) lastEventAt!: Date;
  @Column({ name: 'last_event_id', type: 'text' }) lastEventId!: string;
  @Column({ name: 'event_count', type: 'integer' }) eventCount!: number;
  @Column({ type: 'jsonb' }) state!: IncidentState;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
  /** Set when the incident was merged into another: the incident that answers for it (never itself merged). */
  @Column({ name: 'merged_into', type: 'text', nullable: true }) mergedInto!: string | null;
  @Column({ name: 'merge_reason', type: 'text', nullable: true }) mergeReason!: string | null;
}

@Entity({ name: 'incident_keys' })
export class IncidentKeyRecord {
  @PrimaryColumn({ type: 'text' }) key!: string;
  @Column({ name: 'incident_id', type: 'text' }) incidentId!: string;
}

/** The append-only event log; `incidentId` is null while the event is unattached. */
@Entity({ name: 'events' })
export class EventRecord {
  @PrimaryColumn({ name: 'event_id', type: 'text' }) eventId!: string;
  @Column({ type: 'text' }) type!: string;
  @Column({ type: 'text' }) service!: string;
  @Column({ name: 'incident_key', type: 'text', nullable: true }) incidentKey!: string | null;
  @Column({ name: 'occurred_at', type: 'timestamptz' }) occurredAt!: Date;
  @Column({ type: 'jsonb' }) payload!: Record<string, unknown>;
  @Column({ name: 'payload_sha256', type: 'text' }) payloadSha256!: string;
  @Column({ name: 'incident_id', type: 'text', nullable: true }) incidentId!: string | null;
  @Column({ name: 'received_at', type: 'timestamptz' }) receivedAt!: Date;
}

export const TIMELINE_ENTITIES = [IncidentRecord, IncidentKeyRecord, EventRecord];
