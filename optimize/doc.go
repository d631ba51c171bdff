// Package optimize decides which one-stop offices can merge, where new
// inter-ward points should go, and proves how good the answer is.
//
// The solver works on a plain Instance (demand points, candidate service
// points, sparse cover and travel-time sets) so it does not depend on how
// coverage computed them. Every model reports the objective of the plan it
// returns together with a valid lower bound and the gap between them, and
// ExportLP writes exactly the model that was solved so any MIP solver can
// check the result. All searches are deterministic: slices are visited in
// index order, ties are broken by index, and no map is iterated.
package optimize
