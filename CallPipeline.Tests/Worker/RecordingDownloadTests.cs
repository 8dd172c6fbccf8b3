extern alias worker;

using CallPipeline.Tests.Worker.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using worker::CallPipeline.Worker.Extensions;
using worker::CallPipeline.Worker.Recordings;

namespace CallPipeline.Tests.Worker;

/// <summary>The Twilio media download as registered in the worker (its HttpClient, no auto-redirect), against a fake media server.</summary>
public sealed class RecordingDownloadTests : IAsyncLifetime
{
    private FakeTwilioMedia _twilio = null!;
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "callpipeline-download-tests", Guid.NewGuid().ToString("N"));

    public async Task InitializeAsync()
    {
        _twilio = await FakeTwilioMedia.StartAsync();
        _twilio.Audio = await AudioSamples.ToneWavAsync(0.5);
        Directory.CreateDirectory(_directory);
    }

    public async Task DisposeAsync()
    {
        await _twilio.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_fresh_recording_answering_404_is_retried_with_backoff_until_it_is_there()
    {
        _twilio.NotFoundForFirstRequests = 4;
        var downloader = Downloader();

        var result = await downloader.DownloadAsync("CA1", _twilio.RecordingUrl("RE1"), NewTarget, CancellationToken.None);

        Assert.Equal(RecordingDownloadOutcome.Downloaded, result.Outcome);
        Assert.Equal(_twilio.Audio.Length, result.Bytes);
        Assert.Equal([404, 404, 404, 404, 200], _twilio.Requests.Select(r => r.Status));
        // Each round tries dual-channel WAV, WAV, then MP3; the second round starts over with dual-channel WAV.
        Assert.Equal(
            [".wav?RequestedChannels=2", ".wav", ".mp3", ".wav?RequestedChannels=2", ".wav"],
            _twilio.Requests.Select(r => r.PathAndQuery[r.PathAndQuery.IndexOf(".", StringComparison.Ordinal)..]));
    }

    [Fact]
    public async Task A_recording_that_never_appears_is_unavailable_once_the_retry_budget_is_spent()
    {
        _twilio.NotFoundForFirstRequests = int.MaxValue;
        // Short waits inside a budget that a slow first round (a loaded CI machine) cannot use up on its own.
        var downloader = Downloader(
            ("Worker:DownloadRetryBudget", "00:00:05"), ("Worker:DownloadFirstRetryDelay", "00:00:00.050"), ("Worker:DownloadMaxRetryDelay", "00:00:00.200"));

        var result = await downloader.DownloadAsync("CA1", _twilio.RecordingUrl("RE1"), NewTarget, CancellationToken.None);

        Assert.Equal(RecordingDownloadOutcome.Unavailable, result.Outcome);
        Assert.Contains("HTTP 404", result.Detail);
        // Retried (a round is three requests), and stopped: the count depends on the machine, the bounds do not.
        Assert.InRange(_twilio.Requests.Count, 4, 200);
    }

    [Fact]
    public async Task A_redirect_to_another_host_is_followed_without_the_credentials()
    {
        _twilio.RedirectToCdn = true;
        var downloader = Downloader();

        var result = await downloader.DownloadAsync("CA1", _twilio.RecordingUrl("RE1"), NewTarget, CancellationToken.None);

        Assert.Equal(RecordingDownloadOutcome.Downloaded, result.Outcome);
        Assert.Collection(
            _twilio.Requests,
            api =>
            {
                Assert.Equal(("127.0.0.1", 302, true), (api.Host, api.Status, api.HadAuthorization));
            },
            cdn =>
            {
                Assert.Equal(("localhost", 200), (cdn.Host, cdn.Status));
                Assert.False(cdn.HadAuthorization, "credentials must not follow a redirect to another host");
                Assert.EndsWith("?RequestedChannels=2", cdn.PathAndQuery);
            });
    }

    [Fact]
    public async Task A_recording_url_on_a_host_other_than_the_twilio_api_gets_no_request_and_no_credentials()
    {
        var downloader = Downloader();

        var result = await downloader.DownloadAsync("CA1", $"{_twilio.CdnBaseUrl}/2010-04-01/Accounts/AC1/Recordings/RE1", NewTarget, CancellationToken.None);

        Assert.Equal(RecordingDownloadOutcome.Refused, result.Outcome);
        Assert.Contains("not the configured Twilio API host", result.Detail);
        Assert.Empty(_twilio.Requests);
    }

    [Fact]
    public async Task Refused_credentials_stop_at_once_instead_of_retrying()
    {
        var downloader = Downloader(("Twilio:AuthToken", "wrong-token"));

        var result = await downloader.DownloadAsync("CA1", _twilio.RecordingUrl("RE1"), NewTarget, CancellationToken.None);

        Assert.Equal(RecordingDownloadOutcome.Refused, result.Outcome);
        Assert.Contains("HTTP 401", result.Detail);
        Assert.Single(_twilio.Requests);
    }

    [Fact]
    public async Task A_recording_over_the_size_cap_is_refused()
    {
        var downloader = Downloader(("Worker:MaxRecordingBytes", "1000"));

        var result = await downloader.DownloadAsync("CA1", _twilio.RecordingUrl("RE1"), NewTarget, CancellationToken.None);

        Assert.Equal(RecordingDownloadOutcome.Refused, result.Outcome);
        Assert.Contains("over the cap", result.Detail);
    }

    [Fact]
    public async Task A_relative_json_recording_uri_is_made_absolute_against_the_api_host_and_stripped_of_json()
    {
        var downloader = Downloader();

        var result = await downloader.DownloadAsync("CA1", $"/2010-04-01/Accounts/{FakeTwilioMedia.AccountSid}/Recordings/RE9.json", NewTarget, CancellationToken.None);

        Assert.Equal(RecordingDownloadOutcome.Downloaded, result.Outcome);
        Assert.EndsWith("/Recordings/RE9.wav?RequestedChannels=2", Assert.Single(_twilio.Requests).PathAndQuery);
    }

    private string NewTarget(string extension) => Path.Combine(_directory, Guid.NewGuid().ToString("N") + extension);

    private TwilioRecordingDownloader Downloader(params (string Key, string Value)[] overrides)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = "Development" });
        var settings = new Dictionary<string, string?>
        {
            ["Twilio:AccountSid"] = FakeTwilioMedia.AccountSid,
            ["Twilio:AuthToken"] = FakeTwilioMedia.AuthToken,
            ["Twilio:ApiBaseUrl"] = _twilio.BaseUrl,
            ["Worker:DownloadFirstRetryDelay"] = "00:00:00.050",
            ["Worker:DownloadRetryBudget"] = "00:00:10",
        };
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddServiceDefaults();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.AddRecordingPipeline();
        return builder.Build().Services.GetRequiredService<TwilioRecordingDownloader>();
    }
}
