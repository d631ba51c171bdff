package work

import (
	"context"
	"testing"
	"time"
)

func TestBudget(t *testing.T) {
	tests := []struct {
		name   string
		run    func() *Budget
		reason Reason
	}{
		{"unspent", func() *Budget { b := New(context.Background(), 10, time.Time{}); b.Spend(9); return b }, NotStopped},
		{"exhausted", func() *Budget { b := New(context.Background(), 10, time.Time{}); b.Spend(10); return b }, Exhausted},
		{"share exhausted", func() *Budget {
			b := New(context.Background(), 100, time.Time{})
			s := b.Share(0.5)
			for !s.Spend(1) {
			}
			if b.Left() != 50 || b.Done() {
				t.Errorf("share: parent left %d, done %v; want 50, false", b.Left(), b.Done())
			}
			return b
		}, Exhausted},
		{"deadline", func() *Budget {
			b := New(context.Background(), 0, time.Now().Add(-time.Second))
			b.Spend(1)
			return b
		}, Deadline},
		{"cancelled", func() *Budget {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			b := New(ctx, 0, time.Time{})
			b.Done()
			return b
		}, Cancelled},
		{"detached charges its allotment", func() *Budget {
			b := New(context.Background(), 100, time.Time{})
			d := b.Detach(30)
			d.Spend(5)
			if b.Left() != 100 {
				t.Errorf("detached budget charged its parent while running")
			}
			b.Charge(d.Limit())
			if b.Left() != 70 {
				t.Errorf("left %d after charging the allotment, want 70", b.Left())
			}
			return b
		}, NotStopped},
		{"nil never stops", func() *Budget {
			var b *Budget
			if b.Spend(1 << 40) {
				t.Error("nil budget stopped")
			}
			return b
		}, NotStopped},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.run().Reason(); got != tc.reason {
				t.Errorf("reason %v, want %v", got, tc.reason)
			}
		})
	}
}
