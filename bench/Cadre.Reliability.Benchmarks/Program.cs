using BenchmarkDotNet.Running;
using Cadre.Reliability.Benchmarks;

// dotnet run -c Release --project bench/Cadre.Reliability.Benchmarks -- [checkpoints|ownership|overhead|all]
var what = args.Length > 0 ? args[0] : "all";
if (what is "checkpoints" or "all")
{
    await CheckpointBenchmark.RunAsync(Console.Out);
}

if (what is "ownership" or "all")
{
    await OwnershipBenchmark.RunAsync(Console.Out);
}

if (what is "overhead" or "all")
{
    BenchmarkRunner.Run<ResilientClientBenchmarks>(args: args.Skip(1).ToArray());
}
