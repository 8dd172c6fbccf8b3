using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace CallPipeline.Tests.Voice.Support;

internal sealed record VoiceLogEntry(LogLevel Level, string Category, string Message, Exception? Exception);

/// <summary>Every log entry of the voice gateway, debug included, so tests can check lines, levels and what is absent.</summary>
internal sealed class VoiceLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<VoiceLogEntry> _entries = new();

    public IReadOnlyList<VoiceLogEntry> Entries => [.. _entries];

    public IReadOnlyList<string> Lines => [.. _entries.Select(e => e.Message)];

    public int Count(string text) => _entries.Count(e => e.Message.Contains(text, StringComparison.Ordinal));

    public IReadOnlyList<VoiceLogEntry> Errors => [.. _entries.Where(e => e.Level >= LogLevel.Error)];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(VoiceLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                owner._entries.Enqueue(new VoiceLogEntry(logLevel, category, formatter(state, exception), exception));
            }
        }
    }
}
