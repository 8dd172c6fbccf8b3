using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace CallPipeline.Tests.Support;

internal sealed record CapturedLogEntry(LogLevel Level, string Category, string Message, Exception? Exception);

/// <summary>
/// Every log entry of a host from <paramref name="minimum"/> up, formatted as a sink would write it, so tests can
/// check lines, levels and what is absent.
/// </summary>
internal sealed class CapturedLogs(LogLevel minimum = LogLevel.Information) : ILoggerProvider
{
    private readonly ConcurrentQueue<CapturedLogEntry> _entries = new();
    private readonly LogLevel _minimum = minimum;

    public IReadOnlyList<CapturedLogEntry> Entries => [.. _entries];

    public IReadOnlyList<string> Lines => [.. _entries.Select(e => e.Message)];

    public IReadOnlyList<CapturedLogEntry> Errors => [.. _entries.Where(e => e.Level >= LogLevel.Error)];

    public int Count(string text) => _entries.Count(e => e.Message.Contains(text, StringComparison.Ordinal));

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= owner._minimum && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                owner._entries.Enqueue(new CapturedLogEntry(logLevel, category, formatter(state, exception), exception));
            }
        }
    }
}
