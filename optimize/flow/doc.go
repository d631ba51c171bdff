// Package flow solves the two network-flow problems of capacity planning:
// the transportation problem (Transport: serve every demand point at least
// cost within the destinations' capacities) and maximum flow (Network:
// whether the capacities can absorb the demand at all, and if not, the
// minimum cut that says which demand cannot be placed).
package flow
