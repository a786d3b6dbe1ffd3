/** Batches of consecutive L2 blocks: the planner that cuts them. */
export { BatchPlanner } from "./planner.ts";
export type { Batch, PlannerClock, PlannerOptions, PlannerStart } from "./planner.ts";
