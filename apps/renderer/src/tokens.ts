export const KAFKA = Symbol('KAFKA');
export const TOPICS = Symbol('TOPICS');
export const DATA_SOURCE = Symbol('DATA_SOURCE');
