// Package audit recomputes, from the final office network alone, every
// figure a plan run states — each populated cell's nearest open point, its
// travel minutes and kilometres, whether it meets the access rule; each
// point's residents, dossiers, staff, productivity against the norm and
// peak wait — and lists every claim of plan.json, summary.json, load.json
// and the coverage tables that does not hold at the precision it is printed
// with.
//
// The audit shares none of the solver's or the coverage engine's shortcuts:
// it lists the H3 cells itself (h3-go), spreads the census population as
// docs/coverage.md defines it, measures great-circle distances with its own
// haversine on data/earth's radius, and times road travel with its own
// Dijkstra (container/heap) over the road network as docs/roads.md defines
// it. What it takes as given is the model, not its implementation: the
// dataset, the rule, the travel settings, the per-cell dossier demand and
// the queue model's Erlang C functions. docs/audit.md lists every claim.
package audit
