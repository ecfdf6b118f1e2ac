/** Routing: agent presence and capacity, the queue order, assignment, positions and wait estimates. */
export { Desk } from './desk.js';
export { queueOrder } from './order.js';
export type { DeskOptions } from './desk.js';
export { isOpen } from './hours.js';
