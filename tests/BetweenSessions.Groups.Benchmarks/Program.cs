using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

// dotnet run -c Release --project tests/BetweenSessions.Groups.Benchmarks -- --filter '*' --job short
// (docs/performance.md has the figures and the machine they were taken on).
// In process: BenchmarkDotNet's generated project would restore without this repo's package prunes, which the
// partial package source here needs.
var config = DefaultConfig.Instance.AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).AsDefault());
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
