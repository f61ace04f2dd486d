using System.Globalization;
using BenchmarkDotNet.Running;

// Runs the benchmarks named by --filter (all with '*'), or with 'turn-rounds [rounds]' the interleaved turn comparison;
// see docs/BENCHMARKS.md for the figures and how to rerun them.
if (args is ["turn-rounds", ..])
{
    await Cadre.Benchmarks.TurnRounds.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 12);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Cadre.Benchmarks.ToolCallBenchmarks).Assembly).Run(args);
