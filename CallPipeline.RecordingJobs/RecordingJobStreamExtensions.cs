using CallPipeline.RecordingJobs;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

public static class RecordingJobStreamExtensions
{
    /// <summary>
    /// The stream and its options from the <c>Worker</c> section, validated at start. Needs an
    /// <c>IConnectionMultiplexer</c> (AddRedisClient). Safe to call more than once.
    /// </summary>
    public static void AddRecordingJobStream(this IHostApplicationBuilder builder)
    {
        if (builder.Services.Any(d => d.ServiceType == typeof(RecordingJobStream)))
        {
            return;
        }
        builder.Services.AddOptions<RecordingJobStreamOptions>()
            .BindConfiguration(RecordingJobStreamOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<RecordingJobStream>();
    }
}
