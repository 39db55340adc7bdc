export * from './state.js';
export * from './milestones.js';
export { wholeMinutesBetween } from './derive.js';
export { evolve, evolveAll, canEvolveInOrder } from './evolve.js';
export { project } from './project.js';
