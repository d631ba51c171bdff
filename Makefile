# onestop — build, test, benchmark and run the demo.
GO ?= go
export CGO_ENABLED := 1

.PHONY: build test vet fuzz bench demo clean

build:
	$(GO) build -o bin/onestop ./cmd/onestop

vet:
	$(GO) vet ./...

# The README's test command. CI (.ci/run) calls exactly this: vet, every
# test, then every fuzz target for a short fixed time.
test: vet
	$(GO) test -count=1 -timeout 40m ./...
	$(MAKE) --no-print-directory fuzz

# Every Fuzz* target of every package for FUZZTIME, one target and one
# worker at a time. The budget is a count of executions, not a duration:
# Go 1.26's fuzz coordinator can fail a duration-bound run with a bare
# "context deadline exceeded" when a worker is starved at the deadline
# (go.dev/issue/75804), and a count also does the same work on any machine.
# A crasher fails the run and is saved under the package's testdata/fuzz.
FUZZTIME ?= 300x
fuzz:
	@$(GO) test -list '^Fuzz' ./... | awk '/^Fuzz/ {f[n++]=$$1} /^ok/ {for (i=0;i<n;i++) print $$2, f[i]; n=0}' | \
	while read pkg f; do \
	  echo "fuzz $$pkg $$f ($(FUZZTIME))"; \
	  log=$$(mktemp); \
	  $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) -parallel 1 $$pkg >$$log 2>&1 || { tail -40 $$log; rm -f $$log; exit 1; }; \
	  rm -f $$log; \
	done

# Hot-path benchmarks (routing, coverage, optimizer, dossier simulation).
bench:
	$(GO) test -run '^$$' -bench . -benchmem -benchtime 3x -timeout 60m ./...

# The main job on the embedded demo province.
demo:
	$(GO) run ./cmd/onestop plan --out out/demo

clean:
	rm -rf bin out
