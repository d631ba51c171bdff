# onestop — build, test, benchmark and run the demo.
GO ?= go
export CGO_ENABLED := 1

.PHONY: build test vet bench demo clean

build:
	$(GO) build -o bin/onestop ./cmd/onestop

vet:
	$(GO) vet ./...

# The README's test command. CI (.ci/run) calls exactly this.
test: vet
	$(GO) test -count=1 -timeout 40m ./...

# Hot-path benchmarks (routing, coverage, optimizer, dossier simulation).
bench:
	$(GO) test -run '^$$' -bench . -benchmem -benchtime 3x -timeout 60m ./...

# The main job on the embedded demo province.
demo:
	$(GO) run ./cmd/onestop plan --out out/demo

clean:
	rm -rf bin out
