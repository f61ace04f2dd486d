using BenchmarkDotNet.Running;

// Runs the benchmarks named by --filter (all with '*'); see docs/BENCHMARKS.md for the figures and how to rerun them.
BenchmarkSwitcher.FromAssembly(typeof(Cadre.Benchmarks.ToolCallBenchmarks).Assembly).Run(args);
