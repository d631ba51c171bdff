// Package facility solves p-facility problems — p-median, maximal covering
// as a p-median of uncovered residents, and the minutes stage of
// consolidation: open exactly p candidates so that the demand points, each
// served by its cheapest open candidate or left at its penalty, cost least.
//
// Solve runs a lazy greedy and a swap search (Whitaker's fast swap
// evaluation), a Lagrangian bound (relaxing "each point is served once")
// and branch and bound, within a work budget. A cover rule (RequireCover)
// and a judge of complete open sets (CheckLeaves, e.g. a capacitated
// assignment) make it serve consolidation too.
package facility
