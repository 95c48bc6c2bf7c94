namespace Harness.Benchmarks;

/// <summary>One line of the results table.</summary>
public sealed record ResultRow(string Benchmark, string Configuration, string Result, string Notes);
