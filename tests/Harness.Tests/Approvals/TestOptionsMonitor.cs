using Microsoft.Extensions.Options;

namespace Harness.Tests.Approvals;

/// <summary>An options monitor whose value a test can swap.</summary>
public sealed class TestOptionsMonitor<T>(T value) : IOptionsMonitor<T>
{
    public T CurrentValue { get; set; } = value;

    public T Get(string? name) => CurrentValue;

    public IDisposable? OnChange(Action<T, string?> listener) => null;
}
