export * from './state.js';
export * from './milestones.js';
export { wholeMinutesBetween } from './derive.js';
export { evolve, evolveAll } from './evolve.js';
export { retractedIds, milestoneSourceOf } from './corrections.js';
export { project } from './project.js';
export { LIST_CAPS, type CappedList } from './list-caps.js';
