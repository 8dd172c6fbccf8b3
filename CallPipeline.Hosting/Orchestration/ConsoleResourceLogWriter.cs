namespace CallPipeline.Hosting.Orchestration;

/// <summary>Streams resource output to the AppHost's console, each line prefixed with its resource's name.</summary>
internal static class ConsoleResourceLogWriter
{
    private static readonly Lock ConsoleLock = new();

    public static void Write(ResourceLogLine line)
    {
        lock (ConsoleLock)
        {
            var writer = line.IsErrorStream ? Console.Error : Console.Out;
            writer.WriteLine($"{line.ResourceName,-16} | {line.Text}");
        }
    }
}
