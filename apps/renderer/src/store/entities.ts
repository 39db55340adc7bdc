import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A stored version of an incident's RCA draft; GET serves the newest, earlier ones stay listable. */
@Entity({ name: 'rca_drafts' })
export class RcaDraftRecord {
  @PrimaryColumn({ name: 'incident_id', type: 'text' }) incidentId!: string;
  @PrimaryColumn({ type: 'integer' }) version!: number;
  @Column({ name: 'prepared_on', type: 'date' }) preparedOn!: string;
  @Column({ name: 'file_name', type: 'text' }) fileName!: string;
  @Column({ type: 'text' }) markdown!: string;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

export const RENDERER_ENTITIES = [RcaDraftRecord];
