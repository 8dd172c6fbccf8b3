extern alias worker;

using CallPipeline.RecordingJobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using worker::CallPipeline.Worker.Audio;
using worker::CallPipeline.Worker.Extensions;
using worker::CallPipeline.Worker.Queue;
using worker::CallPipeline.Worker.Recordings;
using worker::CallPipeline.Worker.Transcription;

namespace CallPipeline.Tests.Worker;

/// <summary>The <c>Worker</c> section's keys are a contract (the AppHost, the chaos run and the READMEs set them): each reaches the options class of its room.</summary>
public sealed class WorkerSettingsTests
{
    private static readonly Dictionary<string, string?> EveryKey = new()
    {
        ["Worker:Stream"] = "jobs-s",
        ["Worker:ConsumerGroup"] = "group-g",
        ["Worker:NudgeChannel"] = "nudge-n",
        ["Worker:DeadLetterStream"] = "dead-d",
        ["Worker:ConsumerName"] = "consumer-c",
        ["Worker:Concurrency"] = "7",
        ["Worker:MaxDeliveries"] = "9",
        ["Worker:ClaimIdleTime"] = "00:00:21",
        ["Worker:ClaimCheckInterval"] = "00:00:03",
        ["Worker:PollMinDelay"] = "00:00:00.050",
        ["Worker:PollMaxDelay"] = "00:00:04",
        ["Worker:TrimInterval"] = "00:07:00",
        ["Worker:RetainAcknowledgedFor"] = "02:00:00",
        ["Worker:StreamCheckInterval"] = "00:00:06",
        ["Worker:ReconcileInterval"] = "00:00:16",
        ["Worker:ReconcileGracePeriod"] = "00:02:00",
        ["Worker:StalledCallGracePeriod"] = "00:01:00",
        ["Worker:TempDirectory"] = "/tmp/worker-settings",
        ["Worker:DownloadRequestTimeout"] = "00:00:11",
        ["Worker:DownloadFirstRetryDelay"] = "00:00:02",
        ["Worker:DownloadMaxRetryDelay"] = "00:00:12",
        ["Worker:DownloadRetryBudget"] = "00:03:00",
        ["Worker:MaxRecordingBytes"] = "12345",
        ["Worker:FfmpegPath"] = "/opt/ffmpeg",
        ["Worker:FfmpegTimeout"] = "00:00:33",
        ["Worker:SilenceNoise"] = "-40dB",
        ["Worker:SilenceMinDuration"] = "00:00:00.300",
        ["Worker:MinSpeechDuration"] = "00:00:00.150",
        ["Worker:TurnPause"] = "00:00:02",
        ["Worker:TurnPadding"] = "00:00:00.100",
        ["Worker:MaxUploadBytes"] = "65536",
        ["Worker:MaxUploadDuration"] = "00:05:00",
        ["Worker:MinTranscriptChars"] = "3",
        ["Worker:TranscriptionConcurrency"] = "5",
        ["Twilio:AccountSid"] = "AC00000000000000000000000000000000",
        ["Twilio:AuthToken"] = "token",
        ["OpenAI:ApiKey"] = "sk-test-key",
    };

    [Fact]
    public void Every_worker_key_is_bound_to_the_options_of_its_room_by_the_worker_registration()
    {
        using var host = WorkerServices(EveryKey);
        T Options<T>() where T : class => host.Services.GetRequiredService<IOptions<T>>().Value;

        var stream = Options<RecordingJobStreamOptions>();
        Assert.Equal(("jobs-s", "group-g", "nudge-n", "dead-d"), (stream.Stream, stream.ConsumerGroup, stream.NudgeChannel, stream.DeadLetterStream));
        var queue = Options<QueueOptions>();
        Assert.Equal(("consumer-c", 7, 9), (queue.ConsumerName, queue.Concurrency, queue.MaxDeliveries));
        Assert.Equal(
            [21_000, 3_000, 50, 4_000, 420_000, 7_200_000, 6_000, 16_000, 120_000, 60_000],
            new[]
            {
                queue.ClaimIdleTime, queue.ClaimCheckInterval, queue.PollMinDelay, queue.PollMaxDelay, queue.TrimInterval, queue.RetainAcknowledgedFor,
                queue.StreamCheckInterval, queue.ReconcileInterval, queue.ReconcileGracePeriod, queue.StalledCallGracePeriod,
            }.Select(t => t.TotalMilliseconds));
        var download = Options<DownloadOptions>();
        Assert.Equal(("/tmp/worker-settings", 12345L), (download.EffectiveTempDirectory, download.MaxRecordingBytes));
        Assert.Equal(
            [11_000, 2_000, 12_000, 180_000],
            new[] { download.DownloadRequestTimeout, download.DownloadFirstRetryDelay, download.DownloadMaxRetryDelay, download.DownloadRetryBudget }.Select(t => t.TotalMilliseconds));
        var audio = Options<AudioOptions>();
        Assert.Equal(("/opt/ffmpeg", "-40dB"), (audio.FfmpegPath, audio.SilenceNoise));
        Assert.Equal(
            [33_000, 300, 150, 2_000, 100],
            new[] { audio.FfmpegTimeout, audio.SilenceMinDuration, audio.MinSpeechDuration, audio.TurnPause, audio.TurnPadding }.Select(t => t.TotalMilliseconds));
        var transcription = Options<TranscriptionOptions>();
        Assert.Equal((65536L, TimeSpan.FromMinutes(5), 3, 5), (transcription.MaxUploadBytes, transcription.MaxUploadDuration, transcription.MinTranscriptChars, transcription.TranscriptionConcurrency));
    }

    [Theory]
    [InlineData("Worker:Stream", "")]
    [InlineData("Worker:ConsumerGroup", "")]
    [InlineData("Worker:Concurrency", "0")]
    [InlineData("Worker:MaxRecordingBytes", "0")]
    [InlineData("Worker:FfmpegPath", "")]
    [InlineData("Worker:TranscriptionConcurrency", "17")]
    public void A_worker_setting_out_of_range_stops_the_start(string key, string value)
    {
        using var host = WorkerServices(new Dictionary<string, string?>(EveryKey) { [key] = value });

        var refused = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains(key.Split(':')[1], refused.Message);
    }

    /// <summary>The worker's queue and pipeline registrations on <paramref name="settings"/>, built but not started.</summary>
    private static IHost WorkerServices(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = "Development" });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddRecordingQueue();
        builder.AddRecordingPipeline();
        return builder.Build();
    }
}
