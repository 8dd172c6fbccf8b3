using System.Text.Json;
using Aspire.Hosting.Testing;
using CallPipeline.AppHost.Demo;
using CallPipeline.Tests.Graph;
using CallPipeline.Tests.OperatorConsole.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CallPipeline.Tests.OperatorConsole;

/// <summary>
/// The operator console in Chromium against the whole graph: the <c>console</c> resource calling the voice gateway's
/// operator API through service discovery. The test run writes the README's screenshots (docs/console).
/// </summary>
[Collection(GraphCollection.Name)]
[Trait("Category", "Graph")]
public sealed class ConsoleGraphTests(GraphFixture graph, ConsoleBrowser browser) : IClassFixture<ConsoleBrowser>
{
    private static readonly float ProcessingTimeout = (float)PostCallGraph.ProcessingTimeout.TotalMilliseconds;

    private readonly PostCallGraph _calls = new(graph.App, graph.Logs);
    private readonly string _operatorKey = PostCallGraph.ParameterValue(graph.App, "operator-api-key");
    private readonly string _consoleUrl = graph.App.GetEndpoint("console", "http").ToString().TrimEnd('/');

    [Fact]
    public async Task Every_page_is_behind_a_sign_in_with_the_operator_key_kept_in_an_http_only_cookie()
    {
        var page = await browser.NewPageAsync(_consoleUrl);

        await page.GotoAsync("/operations");
        var signInUrl = page.Url;
        await page.GetByLabel("Operator key").FillAsync("not-the-operator-key");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("That is not the operator key.");
        var anonymousRecording = await AnonymousGetAsync(page, "/calls/CA00000000000000000000000000000000/recording");
        await page.GetByLabel("Operator key").FillAsync(_operatorKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Queues" })).ToBeVisibleAsync();
        var cookie = Assert.Single(await page.Context.CookiesAsync(), c => c.Name == "callpipeline-console");
        var html = await page.ContentAsync();
        var afterSignIn = page.Url;
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.WaitForURLAsync("**/sign-in**");
        await page.GotoAsync("/");
        var afterSignOut = page.Url;

        Assert.Contains("/sign-in?ReturnUrl=%2Foperations", signInUrl, StringComparison.Ordinal);
        Assert.Equal(302, (int)anonymousRecording.Status);
        Assert.Contains("/sign-in", anonymousRecording.Headers["location"], StringComparison.Ordinal);
        Assert.EndsWith("/operations", afterSignIn, StringComparison.Ordinal);
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        Assert.DoesNotContain(_operatorKey, cookie.Value, StringComparison.Ordinal);
        Assert.DoesNotContain(_operatorKey, html, StringComparison.Ordinal);
        Assert.Contains("/sign-in", afterSignOut, StringComparison.Ordinal);
        Assert.DoesNotContain(_calls.LogLines("console"), line => line.Contains(_operatorKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_demo_call_is_found_while_it_runs_then_read_played_redelivered_and_erased()
    {
        var callSid = await _calls.PlaceConversationAsync(PostCallGraph.CallerNumber, PostCallGraph.DemoBusinessNumber, DemoCall.Script);
        var page = await browser.NewPageAsync(_consoleUrl);
        await ConsoleBrowser.SignInAsync(page, _operatorKey);

        // Found by its CallSid while it is still under way; the row turns "processed" on the open page, with no reload.
        await page.GetByLabel("CallSid").FillAsync(callSid);
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        var row = page.Locator($"tr[data-call-sid='{callSid}']");
        var statusBeforeProcessing = await row.Locator(".badge").TextContentAsync();
        await page.EvaluateAsync("() => window.stayedOnThePage = true");
        await Expect(row.Locator(".badge")).ToHaveTextAsync("processed", new() { Timeout = ProcessingTimeout });
        var stayedOnThePage = await page.EvaluateAsync<bool>("() => window.stayedOnThePage === true");
        await ConsoleBrowser.ScreenshotAsync(page, "calls");

        await row.GetByRole(AriaRole.Link).ClickAsync();
        await Expect(page.Locator(".delivery .attempt")).ToHaveCountAsync(1, new() { Timeout = ProcessingTimeout });
        var turns = await page.Locator(".turn").AllAsync();
        var roles = await Task.WhenAll(turns.Select(t => t.Locator(".speaker").TextContentAsync()));
        var callerText = await page.Locator(".turn.role-caller p").First.TextContentAsync();
        var callerDirection = await page.Locator(".turn.role-caller p").First.EvaluateAsync<string>("p => getComputedStyle(p).direction");
        var city = await page.Locator("dt:has-text('City') + dd").TextContentAsync();
        var shownStart = await page.Locator("p.call-meta time").TextContentAsync();
        var startedAt = (await _calls.GetCallAsync(callSid))!["startedAt"]!.GetValue<DateTimeOffset>();
        await ConsoleBrowser.ScreenshotAsync(page, "call");
        var phone = await browser.NewPageAsync(_consoleUrl, ConsoleBrowser.Phone);
        await ConsoleBrowser.SignInAsync(phone, _operatorKey, $"/calls/{callSid}");
        await Expect(phone.Locator(".turn")).ToHaveCountAsync(roles.Length);
        var phoneOverflow = await phone.EvaluateAsync<double>("() => document.documentElement.scrollWidth - window.innerWidth");
        await ConsoleBrowser.ScreenshotAsync(phone, "call-phone");

        // The player streams the recording through the console, which adds the key; Range requests reach the gateway.
        var recordingAnswers = new List<IResponse>();
        page.Response += (_, response) =>
        {
            if (response.Url.Contains("/recording", StringComparison.Ordinal))
            {
                recordingAnswers.Add(response);
            }
        };
        await page.Locator("audio").EvaluateAsync("a => { a.muted = true; return a.play(); }");
        await page.WaitForFunctionAsync("() => document.querySelector('audio').currentTime > 0.3");
        var duration = await page.Locator("audio").EvaluateAsync<double>("a => a.duration");
        var range = await page.EvaluateAsync<JsonElement>(
            "async url => { const r = await fetch(url, { headers: { Range: 'bytes=100-199' } }); return { status: r.status, length: (await r.arrayBuffer()).byteLength, contentRange: r.headers.get('content-range') }; }",
            $"/calls/{callSid}/recording");

        // Redelivery shows its new attempt on the page.
        await page.GetByRole(AriaRole.Button, new() { Name = "Redeliver webhook" }).ClickAsync();
        await Expect(page.Locator(".delivery .attempt")).ToHaveCountAsync(2, new() { Timeout = ProcessingTimeout });
        // The attempt is listed from the moment it is claimed ("no answer recorded"); its answer replaces that text.
        await Expect(page.Locator(".delivery .attempt").Nth(1)).Not.ToContainTextAsync("no answer recorded", new() { Timeout = ProcessingTimeout });
        var secondAttempt = await page.Locator(".delivery .attempt").Nth(1).TextContentAsync();

        // Erasing asks first, then leaves a call page that says what happened.
        await page.GetByRole(AriaRole.Button, new() { Name = "Erase…" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alertdialog)).ToContainTextAsync("cannot be undone");
        await page.GetByRole(AriaRole.Button, new() { Name = "Erase for good" }).ClickAsync();
        await Expect(page.Locator(".notice.erased")).ToContainTextAsync("erased");
        var erasedTranscript = await page.Locator("section[aria-labelledby='transcript-title'] p").TextContentAsync();
        var playersAfterErasure = await page.Locator("audio").CountAsync();

        Assert.NotEqual("processed", statusBeforeProcessing);
        Assert.True(stayedOnThePage, "the list reloaded instead of updating in place");
        Assert.Equal(new string?[] { "Line", "Caller", "Line", "Caller" }, roles);
        Assert.Contains("רמת גן", callerText, StringComparison.Ordinal);
        Assert.Equal("rtl", callerDirection);
        Assert.Equal("רמת גן", city);
        var israel = TimeZoneInfo.FindSystemTimeZoneById(ConsoleBrowser.OperatorTimeZone);
        Assert.Equal(TimeZoneInfo.ConvertTime(startedAt, israel).ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture), shownStart);
        Assert.Contains(recordingAnswers, r => r.Status is 200 or 206 && r.Headers.GetValueOrDefault("accept-ranges") == "bytes");
        Assert.InRange(duration, 20, 40);
        Assert.Equal(206, range.GetProperty("status").GetInt32());
        Assert.Equal(100, range.GetProperty("length").GetInt32());
        Assert.StartsWith("bytes 100-199/", range.GetProperty("contentRange").GetString(), StringComparison.Ordinal);
        Assert.True(phoneOverflow <= 0, $"the call page is {phoneOverflow} px wider than a phone");
        Assert.Matches(@"attempt 2:\s+HTTP 204", secondAttempt);
        Assert.Equal("The transcript was erased.", erasedTranscript);
        Assert.Equal(0, playersAfterErasure);
    }

    [Fact]
    public async Task A_business_is_created_its_secret_shown_once_and_a_rotated_one_shown_once_more()
    {
        var page = await browser.NewPageAsync(_consoleUrl);
        await ConsoleBrowser.SignInAsync(page, _operatorKey, "/businesses");
        var number = $"+9723{Random.Shared.Next(1_000_000, 9_999_999)}";
        var hook = $"{graph.App.GetEndpoint("webhook-receiver", "http").ToString().TrimEnd('/')}/hooks/console";

        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("שרברבות הקונסולה");
        await page.GetByLabel("Phone numbers").FillAsync(number);
        await page.GetByLabel("Webhook URL for both").FillAsync(hook);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create business" }).ClickAsync();
        var createdSecret = await page.Locator(".secret-value").TextContentAsync();
        var businessUrl = page.Url;
        await page.ReloadAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Settings" })).ToBeVisibleAsync();
        var secretsAfterReload = await page.Locator(".secret-value").CountAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Rotate secret" }).ClickAsync();
        var rotatedSecret = await page.Locator(".secret-value").TextContentAsync();
        var grace = await page.Locator(".notice.secret").TextContentAsync();
        await page.GotoAsync("/businesses");
        await Expect(page.Locator("tr[data-business-id]").Last).ToContainTextAsync(number);
        await ConsoleBrowser.ScreenshotAsync(page, "businesses");

        Assert.Matches(@"/businesses/\d+$", businessUrl);
        Assert.StartsWith("whsec_", createdSecret, StringComparison.Ordinal);
        Assert.Equal(0, secretsAfterReload);
        Assert.StartsWith("whsec_", rotatedSecret, StringComparison.Ordinal);
        Assert.NotEqual(createdSecret, rotatedSecret);
        Assert.Contains("both the new and the old secret until", grace, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Operations_shows_every_queue_gauge_as_the_gateway_measured_it()
    {
        var page = await browser.NewPageAsync(_consoleUrl);
        await ConsoleBrowser.SignInAsync(page, _operatorKey, "/operations");

        await Expect(page.GetByText("Measured")).ToBeVisibleAsync(new() { Timeout = ProcessingTimeout });
        var gauges = await page.Locator(".gauge").AllAsync();
        var values = await Task.WhenAll(gauges.Select(g => g.Locator(".gauge-value").TextContentAsync()));
        await ConsoleBrowser.ScreenshotAsync(page, "operations");

        Assert.Equal(8, values.Length);
        Assert.All(values, v => Assert.Matches(@"^(\d[\d,]*|\d+ s|none)$", v));
    }

    private static async Task<IAPIResponse> AnonymousGetAsync(IPage page, string path)
    {
        var anonymous = await page.Context.Browser!.NewContextAsync(new BrowserNewContextOptions { BaseURL = page.Url });
        return await anonymous.APIRequest.GetAsync(new Uri(new Uri(page.Url), path).ToString(), new() { MaxRedirects = 0 });
    }
}
