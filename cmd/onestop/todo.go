package main

import "github.com/spf13/cobra"

func newOptimizeCmd(g *globals) *cobra.Command { return &cobra.Command{Use: "optimize"} }
func newCompareCmd(g *globals) *cobra.Command  { return &cobra.Command{Use: "compare"} }
