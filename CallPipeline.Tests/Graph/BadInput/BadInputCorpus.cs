using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using CallPipeline.Tests.Voice.Support;
using CallPipeline.Twilio.Security;
using Microsoft.AspNetCore.WebUtilities;

namespace CallPipeline.Tests.Graph.BadInput;

/// <summary>One bad input, where it goes, and what it must get: an HTTP status, a WebSocket close code, or one per step.</summary>
internal sealed record BadInputCase(string Area, string Name, string Expected, Func<BadInputSender, Task<string>> Send)
{
    public override string ToString() => $"{Area}: {Name}";
}

/// <summary>
/// The corpus: forged and missing signatures, oversize and malformed bodies, wrong content types, invalid UTF-8,
/// recording URLs pointing inside the network, bad tokens, frames before <c>start</c>, binary and huge frames,
/// duplicate and out-of-order callbacks and paging extremes, across the Twilio endpoints, the media WebSocket, the
/// operator API and the call simulator. Every expectation is a 4xx or a deliberate success, never a 500.
/// </summary>
internal static class BadInputCorpus
{
    private const string Incoming = "/twilio/voice/incoming";
    private const string Status = "/twilio/voice/status";
    private const string Recording = "/twilio/recording/status";
    private static readonly string[] TwilioPaths = [Incoming, Status, Recording];

    /// <summary>Words no log may ever show: a name, a city and a request a caller could say.</summary>
    public static readonly string[] CallerDataCanaries = ["Canarius Callerman", "Canaryville", "canary-plumbing-request"];

    private static readonly byte[] InvalidUtf8 = [0xC3, 0x28, 0xA0, 0xA1, 0xE2, 0x28, 0xA1, 0xF0, 0x28, 0x8C, 0xBC, 0xFF, 0xFE];

    public static IReadOnlyList<BadInputCase> All { get; } = [.. TwilioWebhooks(), .. Callbacks(), .. MediaStream(), .. OperatorApi(), .. Simulator()];

    private static IEnumerable<BadInputCase> TwilioWebhooks()
    {
        foreach (var path in TwilioPaths)
        {
            var area = "twilio " + path;
            BadInputCase Case(string name, string expected, Func<BadInputSender, Task<string>> send) => new(area, name, expected, send);
            KeyValuePair<string, string>[] Form(BadInputSender s) => ValidForm(path, s);

            // Signatures: anything but Twilio's own is 403, before any work.
            yield return Case("no X-Twilio-Signature", "403", s => s.PostFormAsync(path, Form(s), null));
            yield return Case("an empty X-Twilio-Signature", "403", s => s.PostFormAsync(path, Form(s), ""));
            yield return Case("a random signature", "403", s => s.PostFormAsync(path, Form(s), BadInputSender.RandomSignature()));
            yield return Case("a signature that is not base64", "403", s => s.PostFormAsync(path, Form(s), "not*base64!!"));
            yield return Case("signed with another auth token", "403", s => s.PostFormAsync(path, Form(s), s.Sign(path, Form(s), "0123456789abcdef0123456789abcdef")));
            yield return Case("signed for another path", "403", s => s.PostFormAsync(path, Form(s), s.Sign("/twilio/voice/other", Form(s))));
            yield return Case("signed for another host", "403", s => s.PostFormAsync(path, Form(s), TwilioSignature.Compute(s.AuthToken, "https://attacker.example" + path, Form(s))));
            yield return Case("signed, then a field changed", "403", s => s.PostFormAsync(path, With(Form(s), "From", "+15005550006"), s.Sign(path, Form(s))));
            yield return Case("signed, then a field added", "403", s => s.PostFormAsync(path, [.. Form(s), new("Extra", "1")], s.Sign(path, Form(s))));
            yield return Case("signed, then a field removed", "403", s => s.PostFormAsync(path, Form(s)[1..], s.Sign(path, Form(s))));
            yield return Case("signed without the query string it was sent with", "403", s => s.PostFormAsync(path + "?x=1", Form(s), s.Sign(path, Form(s))));
            yield return Case("a 16 KB signature", "403", s => s.PostFormAsync(path, Form(s), new string('A', 16 * 1024)));
            yield return Case("two signature headers", "403", s => s.PostRawAsync(path, FormBytes(Form(s)), FormType, [(TwilioSignature.HeaderName, s.Sign(path, Form(s))), (TwilioSignature.HeaderName, BadInputSender.RandomSignature())]));
            yield return Case("a form signature replayed on a JSON body", "403", s => s.PostRawAsync(path, Json("{\"CallSid\":\"CA1\"}"), "application/json", [(TwilioSignature.HeaderName, s.Sign(path, Form(s)))]));

            // Bodies and content types, correctly signed: a short 4xx, no work.
            yield return Case("an empty body, signed", "400", s => s.PostRawAsync(path, [], null, [(TwilioSignature.HeaderName, s.Sign(path, []))]));
            yield return Case("a form without CallSid, signed", "400", s => s.PostSignedFormAsync(path, Without(Form(s), "CallSid")));
            yield return Case("a CallSid of 65 characters, signed", "400", s => s.PostSignedFormAsync(path, With(Form(s), "CallSid", "CA" + new string('a', 63))));
            yield return Case("a CallSid that is not a Twilio SID, signed", "400", s => s.PostSignedFormAsync(path, With(Form(s), "CallSid", "../../etc/passwd")));
            // The recording callback has other fields than the voice webhooks; a field a form does not use is not checked.
            var (shortField, longField) = path == Recording ? ("ErrorCode", "RecordingStatus") : ("CallStatus", "From");
            yield return Case($"a {longField} of 200 characters, signed", "400", s => s.PostSignedFormAsync(path, With(Form(s), longField, new string('9', 200))));
            yield return Case($"a {shortField} of 100 characters, signed", "400", s => s.PostSignedFormAsync(path, With(Form(s), shortField, new string('x', 100))));
            yield return Case("a field the form does not use, of 10,000 characters, signed", path == Incoming ? "200" : "204", s => s.PostSignedFormAsync(path, With(Form(s), "CallerName", new string('n', 10_000))));
            yield return Case("a JSON body with a valid bodySHA256 signature", "400", s => SignedJsonAsync(s, path));
            yield return Case("a text/plain body, unsigned", "403", s => s.PostRawAsync(path, FormBytes(Form(s)), "text/plain", []));
            yield return Case("a urlencoded body sent as text/plain, signed as a form", "403", s => s.PostRawAsync(path, FormBytes(Form(s)), "text/plain", [(TwilioSignature.HeaderName, s.Sign(path, Form(s)))]));
            yield return Case("a multipart body, unsigned", "403", s => s.PostRawAsync(path, Json("--b\r\nContent-Disposition: form-data; name=\"CallSid\"\r\n\r\nCA1\r\n--b--\r\n"), "multipart/form-data; boundary=b", []));
            yield return Case("a form over 64 KB", "413", s => s.PostFormAsync(path, [.. Form(s), new("Padding", new string('x', 70 * 1024))], BadInputSender.RandomSignature()));
            yield return Case("a form over 64 KB without Content-Length (chunked)", "413", s => s.PostRawAsync(path, FormBytes([.. Form(s), new("Padding", new string('x', 70 * 1024))]), FormType, [(TwilioSignature.HeaderName, BadInputSender.RandomSignature())], chunked: true));
            yield return Case("a 5 MB form", "413", s => s.PostFormAsync(path, [.. Form(s), new("Padding", new string('x', 5 * 1024 * 1024))], BadInputSender.RandomSignature()));
            yield return Case("a form with 300 fields", "400", s => s.PostFormAsync(path, [.. Form(s), .. Fields(300)], BadInputSender.RandomSignature()));
            yield return Case("a form with 1,100 fields", "400", s => s.PostFormAsync(path, [.. Form(s), .. Fields(1100)], BadInputSender.RandomSignature()));
            yield return Case("a form with broken percent-encoding", "403", s => s.PostRawAsync(path, Encoding.ASCII.GetBytes("CallSid=%zz%&From=%%%&To=%E2%82"), FormType, [(TwilioSignature.HeaderName, BadInputSender.RandomSignature())]));
            yield return Case("a form whose bytes are not UTF-8", "400", s => s.PostRawAsync(path, [.. "CallSid="u8.ToArray(), .. InvalidUtf8], FormType, [(TwilioSignature.HeaderName, BadInputSender.RandomSignature())]));
            yield return Case("percent-encoded bytes that are not UTF-8 in CallSid, signed as the server decodes them", "400", s => PercentEncodedInvalidUtf8Async(s, path, "CallSid"));
            // Left percent-encoded by the form reader, they are plain text in a free-text field: stored, nothing breaks.
            var textField = path == Recording ? "RecordingUrl" : "From";
            yield return Case($"percent-encoded bytes that are not UTF-8 in {textField}, signed as the server decodes them", path == Incoming ? "200" : "204", s => PercentEncodedInvalidUtf8Async(s, path, textField));
            yield return Case("GET instead of POST", "405", s => s.VoiceAsync(HttpMethod.Get, path, []));
        }
    }

    /// <summary>Callbacks Twilio could send twice, late or in another order: each answered, never a 500.</summary>
    private static IEnumerable<BadInputCase> Callbacks()
    {
        const string area = "twilio callbacks";
        BadInputCase Case(string name, string expected, Func<BadInputSender, Task<string>> send) => new(area, name, expected, send);

        yield return Case("the same completed status twice", "204 204", async s =>
        {
            var (callSid, _) = await s.AnswerNewCallAsync();
            return await StepsAsync(() => StatusAsync(s, callSid, "completed", 3), () => StatusAsync(s, callSid, "completed", 3));
        });
        yield return Case("completed before ringing and in-progress", "204 204 204", async s =>
        {
            var (callSid, _) = await s.AnswerNewCallAsync();
            return await StepsAsync(() => StatusAsync(s, callSid, "completed", 2), () => StatusAsync(s, callSid, "ringing", 0), () => StatusAsync(s, callSid, "in-progress", 1));
        });
        yield return Case("a status callback for a call the gateway never saw", "204", s => StatusAsync(s, BadInputSender.NewCallSid(), "completed", 0));
        yield return Case("an unknown CallStatus", "204", async s =>
        {
            var (callSid, _) = await s.AnswerNewCallAsync();
            return await StatusAsync(s, callSid, "exploded", 0);
        });
        yield return Case("a SequenceNumber beyond int", "204", async s =>
        {
            var (callSid, _) = await s.AnswerNewCallAsync();
            return await s.PostSignedFormAsync(Status, With(StatusForm(s, callSid, "completed", 0), "SequenceNumber", "99999999999999999999"));
        });
        yield return Case("a negative CallDuration and a malformed Timestamp", "204", async s =>
        {
            var (callSid, _) = await s.AnswerNewCallAsync();
            return await s.PostSignedFormAsync(Status, With(With(StatusForm(s, callSid, "completed", 0), "CallDuration", "-5"), "Timestamp", "yesterday-ish"));
        });
        yield return Case("the incoming-call webhook twice for one call", "200 200", async s =>
        {
            var form = ValidForm(Incoming, s);
            return await StepsAsync(() => s.PostSignedFormAsync(Incoming, form), () => s.PostSignedFormAsync(Incoming, form));
        });
        yield return Case("the incoming-call webhook after the call completed", "204 200", async s =>
        {
            var form = ValidForm(Incoming, s);
            var callSid = form.Single(f => f.Key == "CallSid").Value;
            return await StepsAsync(() => StatusAsync(s, callSid, "completed", 0), () => s.PostSignedFormAsync(Incoming, form));
        });
        yield return Case("a call to a number no business has", "200", s => s.PostSignedFormAsync(Incoming, With(ValidForm(Incoming, s), "To", "+97235550999")));
        yield return Case("a call whose To is not a phone number", "200", s => s.PostSignedFormAsync(Incoming, With(ValidForm(Incoming, s), "To", "not-a-number")));
        yield return Case("the same in-progress recording callback twice", "204 204", async s =>
        {
            var (callSid, _) = await s.AnswerNewCallAsync();
            var recordingSid = BadInputSender.NewRecordingSid();
            return await StepsAsync(() => RecordingAsync(s, callSid, recordingSid, "in-progress"), () => RecordingAsync(s, callSid, recordingSid, "in-progress"));
        });
        yield return Case("in-progress after absent (out of order)", "204 204", async s =>
        {
            var (callSid, _) = await s.AnswerNewCallAsync();
            var recordingSid = BadInputSender.NewRecordingSid();
            return await StepsAsync(() => RecordingAsync(s, callSid, recordingSid, "absent", errorCode: "13617"), () => RecordingAsync(s, callSid, recordingSid, "in-progress"));
        });
        yield return Case("a second recording's callback for the same call", "204 204", async s =>
        {
            var (callSid, _) = await s.AnswerNewCallAsync();
            return await StepsAsync(
                () => RecordingAsync(s, callSid, BadInputSender.NewRecordingSid(), "in-progress"),
                () => RecordingAsync(s, callSid, BadInputSender.NewRecordingSid(), "failed"));
        });
        yield return Case("a recording callback for a call the gateway never saw", "204", s => RecordingAsync(s, BadInputSender.NewCallSid(), BadInputSender.NewRecordingSid(), "in-progress"));
        yield return Case("a recording callback without RecordingSid", "400", async s =>
            await s.PostSignedFormAsync(Recording, Without(RecordingForm(s, BadInputSender.NewCallSid(), BadInputSender.NewRecordingSid(), "in-progress"), "RecordingSid")));
        yield return Case("a RecordingSid that is not a Twilio SID", "400", s => RecordingAsync(s, BadInputSender.NewCallSid(), "RE'; DROP TABLE call_logs;--", "in-progress"));
        yield return Case("a RecordingDuration that is not a number", "204", async s =>
        {
            var (callSid, _) = await s.AnswerNewCallAsync();
            return await s.PostSignedFormAsync(Recording, With(RecordingForm(s, callSid, BadInputSender.NewRecordingSid(), "in-progress"), "RecordingDuration", "forty-two"));
        });
        yield return Case("a RecordingUrl of 5,000 characters", "400", s => RecordingAsync(s, BadInputSender.NewCallSid(), BadInputSender.NewRecordingSid(), "in-progress", url: "https://api.twilio.com/" + new string('a', 5000)));

        // A recording URL pointing inside the network: the callback is signed, so it is accepted, but the worker never
        // sends a request (nor Twilio's credentials) anywhere but the Twilio API host; the call fails with the reason.
        foreach (var url in new[]
        {
            "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
            "http://localhost:5432/",
            "http://127.0.0.1:6379/",
            "http://[::1]/admin",
            "file:///etc/passwd",
            "gopher://localhost:6379/_FLUSHALL",
            "https://api.twilio.com.attacker.example/2010-04-01/Recordings/RE1",
            "https://user:pass@attacker.example/recording.wav",
        })
        {
            yield return Case($"a completed recording at {url}", "204 refused", async s =>
            {
                var (callSid, _) = await s.AnswerNewCallAsync();
                var status = await RecordingAsync(s, callSid, BadInputSender.NewRecordingSid(), "completed", url: url);
                return $"{status} {await WorkerOutcomeAsync(s, callSid)}";
            });
        }
    }

    private static IEnumerable<BadInputCase> MediaStream()
    {
        const string area = "media stream";
        BadInputCase Case(string name, string expected, Func<BadInputSender, Task<string>> send) => new(area, name, expected, send);
        // Frames that are ignored before start must leave the stream working: a valid start and stop then end it normally.
        BadInputCase Absorbed(string name, Func<MediaStreamClient, Task> junk) => Case(name + ", then a normal call", "close 1000", async s =>
        {
            var (callSid, token) = await s.AnswerNewCallAsync();
            var streamSid = BadInputSender.NewStreamSid();
            return await s.MediaAsync(MediaPath(token), async client =>
            {
                await junk(client);
                await client.SendStartAsync(callSid, streamSid, s.AccountSid);
                await client.SendFramesAsync(streamSid, 5);
                await client.SendStopAsync(callSid, streamSid);
            });
        });

        yield return Case("a plain GET without the upgrade", "400", s => s.VoiceAsync(HttpMethod.Get, MediaPath("anything"), []));
        yield return Case("a POST to the media path", "400", s => s.VoiceAsync(HttpMethod.Post, MediaPath("anything"), [], new StringContent("{}")));
        yield return Case("an unknown token", "close 1008", s => StartOnAsync(s, "not-a-token"));
        yield return Case("an empty-looking token", "close 1008", s => StartOnAsync(s, "%20"));
        yield return Case("a 4 KB token", "close 1008", s => StartOnAsync(s, new string('t', 4096)));
        yield return Case("a token with percent-encoded slashes", "close 1008", s => StartOnAsync(s, "..%2F..%2Fetc%2Fpasswd"));
        yield return Case("a token issued for another call", "close 1008", async s =>
        {
            var (_, otherToken) = await s.AnswerNewCallAsync();
            var (callSid, _) = await s.AnswerNewCallAsync();
            return await s.MediaAsync(MediaPath(otherToken), c => c.SendStartAsync(callSid, BadInputSender.NewStreamSid(), s.AccountSid));
        });
        yield return Case("a start naming a call that does not exist", "close 1008", async s =>
        {
            var (_, token) = await s.AnswerNewCallAsync();
            return await s.MediaAsync(MediaPath(token), c => c.SendStartAsync(BadInputSender.NewCallSid(), BadInputSender.NewStreamSid(), s.AccountSid));
        });
        yield return Case("a start without its start object", "close 1008", async s =>
        {
            var (_, token) = await s.AnswerNewCallAsync();
            return await s.MediaAsync(MediaPath(token), c => c.SendJsonAsync("{\"event\":\"start\",\"sequenceNumber\":\"1\"}"));
        });
        yield return Case("a start with an empty callSid", "close 1008", async s =>
        {
            var (_, token) = await s.AnswerNewCallAsync();
            return await s.MediaAsync(MediaPath(token), c => c.SendStartAsync("", BadInputSender.NewStreamSid(), s.AccountSid));
        });
        yield return Case("a second socket on a token in use, with another streamSid", "close 1008 close 1000", async s =>
        {
            var (callSid, token) = await s.AnswerNewCallAsync();
            var streamSid = BadInputSender.NewStreamSid();
            string second = "";
            var first = await s.MediaAsync(MediaPath(token), async c =>
            {
                await c.SendStartAsync(callSid, streamSid, s.AccountSid);
                await c.WaitForEventsAsync("mark", 1);
                second = await s.MediaAsync(MediaPath(token), d => d.SendStartAsync(callSid, BadInputSender.NewStreamSid(), s.AccountSid));
                await c.SendStopAsync(callSid, streamSid);
            });
            return $"{second} {first}";
        });
        yield return Case("a token used again after its call ended", "close 1000 close 1008", async s =>
        {
            var (callSid, token) = await s.AnswerNewCallAsync();
            var streamSid = BadInputSender.NewStreamSid();
            var first = await s.MediaAsync(MediaPath(token), async c =>
            {
                await c.SendStartAsync(callSid, streamSid, s.AccountSid);
                await c.SendStopAsync(callSid, streamSid);
            });
            var again = await s.MediaAsync(MediaPath(token), c => c.SendStartAsync(callSid, BadInputSender.NewStreamSid(), s.AccountSid));
            return $"{first} {again}";
        });
        yield return Case("a frame over 64 KB before start", "close 1009", async s =>
        {
            var (_, token) = await s.AnswerNewCallAsync();
            return await s.MediaAsync(MediaPath(token), c => c.SendJsonAsync("{\"event\":\"media\",\"x\":\"" + new string('a', 70 * 1024) + "\"}"));
        });
        yield return Case("a 1 MB binary frame", "close 1009", async s =>
        {
            var (_, token) = await s.AnswerNewCallAsync();
            return await s.MediaAsync(MediaPath(token), c => c.SendRawAsync(new byte[1024 * 1024], WebSocketMessageType.Binary));
        });
        yield return Case("a frame over 64 KB after start", "close 1009", async s =>
        {
            var (callSid, token) = await s.AnswerNewCallAsync();
            var streamSid = BadInputSender.NewStreamSid();
            return await s.MediaAsync(MediaPath(token), async c =>
            {
                await c.SendStartAsync(callSid, streamSid, s.AccountSid);
                await c.SendJsonAsync("{\"event\":\"media\",\"media\":{\"payload\":\"" + new string('A', 100 * 1024) + "\"}}");
            });
        });
        yield return Case("nothing at all until the start timeout", "close 1008", async s =>
        {
            var (_, token) = await s.AnswerNewCallAsync();
            return await s.MediaAsync(MediaPath(token), _ => Task.CompletedTask, TimeSpan.FromSeconds(40));
        });
        yield return Case("only connected and media until the start timeout", "close 1008", async s =>
        {
            var (_, token) = await s.AnswerNewCallAsync();
            return await s.MediaAsync(MediaPath(token), async c =>
            {
                await c.SendConnectedAsync();
                await c.SendFramesAsync(BadInputSender.NewStreamSid(), 10);
            }, TimeSpan.FromSeconds(40));
        });
        yield return Case("stop before start, then nothing until the start timeout", "close 1008", async s =>
        {
            var (callSid, token) = await s.AnswerNewCallAsync();
            return await s.MediaAsync(MediaPath(token), c => c.SendStopAsync(callSid, BadInputSender.NewStreamSid()), TimeSpan.FromSeconds(40));
        });
        yield return Absorbed("a binary frame before start", c => c.SendRawAsync([1, 2, 3, 4], WebSocketMessageType.Binary));
        yield return Absorbed("media frames before start", c => c.SendFramesAsync(BadInputSender.NewStreamSid(), 20));
        yield return Absorbed("a mark and a dtmf before start", async c =>
        {
            await c.SendMarkAsync(BadInputSender.NewStreamSid(), "early");
            await c.SendDtmfAsync(BadInputSender.NewStreamSid(), "5");
        });
        yield return Absorbed("malformed JSON", c => c.SendJsonAsync("{\"event\":\"media\""));
        yield return Absorbed("a text frame that is not JSON", c => c.SendJsonAsync("hello, gateway"));
        // RFC 6455 8.1: a text frame that is not UTF-8 fails the connection with 1007; .NET's WebSocket does so.
        yield return Case("a text frame of invalid UTF-8 before start", "close 1007", async s =>
        {
            var (_, token) = await s.AnswerNewCallAsync();
            return await s.MediaAsync(MediaPath(token), c => c.SendRawAsync(InvalidUtf8, WebSocketMessageType.Text));
        });
        yield return Absorbed("JSON nested 10,000 deep", c => c.SendJsonAsync(new string('[', 10_000) + new string(']', 10_000)));
        yield return Absorbed("an unknown event named with what a caller said", c => c.SendJsonAsync("{\"event\":\"" + CallerDataCanaries[0] + "\",\"streamSid\":\"MZ1\"}"));
        yield return Absorbed("an event that is a number", c => c.SendJsonAsync("{\"event\":42}"));
        yield return Absorbed("an empty text frame", c => c.SendRawAsync([], WebSocketMessageType.Text));
        yield return Absorbed("a JSON array", c => c.SendJsonAsync("[{\"event\":\"start\"}]"));
        yield return Case("media that is not base64 after start", "close 1000", s => AfterStartAsync(s, (c, streamSid) =>
            c.SendJsonAsync("{\"event\":\"media\",\"streamSid\":\"" + streamSid + "\",\"media\":{\"track\":\"inbound\",\"chunk\":\"1\",\"timestamp\":\"0\",\"payload\":\"%%%not base64%%%\"}}")));
        yield return Case("media with an odd-length payload after start", "close 1000", s => AfterStartAsync(s, (c, streamSid) => c.SendMediaAsync(streamSid, [1, 2, 3], 1, 0)));
        yield return Case("a binary frame after start", "close 1000", s => AfterStartAsync(s, (c, _) => c.SendRawAsync(new byte[160], WebSocketMessageType.Binary)));
        yield return Case("invalid UTF-8 after start", "close 1007", s => AfterStartAsync(s, (c, _) => c.SendRawAsync(InvalidUtf8, WebSocketMessageType.Text)));
        yield return Case("a second start on a started stream", "close 1000", s => AfterStartAsync(s, (c, streamSid) => c.SendStartAsync(BadInputSender.NewCallSid(), streamSid)));
        yield return Case("a stop naming another stream", "close 1000", s => AfterStartAsync(s, (c, _) => c.SendStopAsync(BadInputSender.NewCallSid(), BadInputSender.NewStreamSid())));
        yield return Case("a dtmf that is not a digit", "close 1000", s => AfterStartAsync(s, (c, streamSid) => c.SendDtmfAsync(streamSid, "<script>")));
        yield return Case("an upgrade with a forged X-Twilio-Signature (only logged while enforcement is off)", "close 1000", async s =>
        {
            var (callSid, token) = await s.AnswerNewCallAsync();
            var streamSid = BadInputSender.NewStreamSid();
            return await s.MediaAsync(MediaPath(token), async c =>
            {
                await c.SendStartAsync(callSid, streamSid, s.AccountSid);
                await c.SendStopAsync(callSid, streamSid);
            }, headers: [(TwilioSignature.HeaderName, BadInputSender.RandomSignature())]);
        });
    }

    private static IEnumerable<BadInputCase> OperatorApi()
    {
        const string area = "operator api";
        BadInputCase Case(string name, string expected, Func<BadInputSender, Task<string>> send) => new(area, name, expected, send);
        (HttpMethod Method, string Path)[] endpoints =
        [
            (HttpMethod.Get, "/api/calls"),
            (HttpMethod.Post, "/api/calls"),
            (HttpMethod.Get, "/api/calls/CA00000000000000000000000000000000"),
            (HttpMethod.Post, "/api/calls/CA00000000000000000000000000000000/reprocess"),
            (HttpMethod.Get, "/api/calls/CA00000000000000000000000000000000/webhooks"),
            (HttpMethod.Post, "/api/calls/CA00000000000000000000000000000000/webhooks/redeliver"),
        ];
        foreach (var (method, path) in endpoints)
        {
            var body = method == HttpMethod.Post && path == "/api/calls";
            HttpContent? Content() => body ? JsonContent("{\"from\":\"+97235550100\",\"to\":\"+972541234567\"}") : null;
            yield return Case($"{method} {path} without X-Api-Key", "401", s => s.OperatorAsync(method, path, Content(), key: null));
            yield return Case($"{method} {path} with a wrong key", "401", s => s.OperatorAsync(method, path, Content(), key: "wrong-key"));
            yield return Case($"{method} {path} with the key in another case", "401", s => s.OperatorAsync(method, path, Content(), key: s.OperatorKey.ToUpperInvariant() + "x"));
            yield return Case($"{method} {path} with the key and a trailing space", "401", s => s.OperatorAsync(method, path, Content(), key: s.OperatorKey + " x"));
            yield return Case($"{method} {path} with an 8 KB key", "401", s => s.OperatorAsync(method, path, Content(), key: new string('k', 8192)));
        }

        foreach (var query in new[]
        {
            "page=0", "page=-1", "page=10001", "page=2147483647", "page=2147483648", "page=99999999999999999999", "page=abc", "page=1.5", "page=",
            "pageSize=0", "pageSize=-5", "pageSize=201", "pageSize=2147483647", "pageSize=abc", "pageSize=1e3",
            "page=2147483647&pageSize=200", "page=-2147483648&pageSize=-2147483648",
        })
        {
            yield return Case($"GET /api/calls?{query}", "400", s => s.OperatorAsync(HttpMethod.Get, "/api/calls?" + query));
        }
        yield return Case("GET /api/calls at the last allowed page", "200", s => s.OperatorAsync(HttpMethod.Get, "/api/calls?page=10000&pageSize=200"));
        yield return Case("GET /api/calls with the same parameter twice", "400", s => s.OperatorAsync(HttpMethod.Get, "/api/calls?page=1&page=2"));

        foreach (var callSid in new[] { "CA00000000000000000000000000000000", "nothing-like-a-sid", new string('C', 5000), "%E2%82%AC%F0%9F%93%9E", "CA'%20OR%20'1'%3D'1" })
        {
            var shown = callSid.Length > 40 ? $"a {callSid.Length}-character callSid" : callSid;
            yield return Case($"GET a call {shown}", "404", s => s.OperatorAsync(HttpMethod.Get, "/api/calls/" + callSid));
            yield return Case($"reprocess a call {shown}", "404", s => s.OperatorAsync(HttpMethod.Post, $"/api/calls/{callSid}/reprocess"));
        }
        // Kestrel refuses a NUL in the path before any endpoint sees it.
        yield return Case("GET a call with a NUL in its callSid", "400", s => s.OperatorAsync(HttpMethod.Get, "/api/calls/CA%00null"));
        yield return Case("reprocess a call still in progress", "409", async s =>
        {
            var (callSid, _) = await s.AnswerNewCallAsync();
            return await s.OperatorAsync(HttpMethod.Post, $"/api/calls/{callSid}/reprocess");
        });
        yield return Case("redeliver the webhooks of a call without any", "404", async s =>
        {
            var (callSid, _) = await s.AnswerNewCallAsync();
            return await s.OperatorAsync(HttpMethod.Post, $"/api/calls/{callSid}/webhooks/redeliver");
        });
        yield return Case("redeliver with an unknown eventType", "404", async s =>
        {
            var (callSid, _) = await s.AnswerNewCallAsync();
            return await s.OperatorAsync(HttpMethod.Post, $"/api/calls/{callSid}/webhooks/redeliver?eventType=call.exploded");
        });

        foreach (var (name, content, expected) in new (string, Func<HttpContent>, string)[]
        {
            ("malformed JSON", () => JsonContent("{\"from\": "), "400"),
            ("an empty body", () => JsonContent(""), "400"),
            ("a JSON array", () => JsonContent("[1,2,3]"), "400"),
            ("a JSON string", () => JsonContent("\"+972541234567\""), "400"),
            ("null", () => JsonContent("null"), "400"),
            ("numbers where strings go", () => JsonContent("{\"from\":97235550100,\"to\":972541234567}"), "400"),
            ("no from", () => JsonContent("{\"to\":\"+972541234567\"}"), "400"),
            ("no to", () => JsonContent("{\"from\":\"+97235550100\"}"), "400"),
            ("a from no business has", () => JsonContent("{\"from\":\"+97235550999\",\"to\":\"+972541234567\"}"), "400"),
            ("a to that is not a phone number", () => JsonContent("{\"from\":\"+97235550100\",\"to\":\"call me maybe\"}"), "400"),
            ("a to of 10,000 digits", () => JsonContent("{\"from\":\"+97235550100\",\"to\":\"+" + new string('9', 10_000) + "\"}"), "400"),
            ("invalid UTF-8", () => Bytes([.. "{\"from\":\""u8.ToArray(), .. InvalidUtf8, .. "\",\"to\":\"1\"}"u8.ToArray()], "application/json"), "400"),
            ("JSON nested 10,000 deep", () => JsonContent(new string('[', 10_000) + new string(']', 10_000)), "400"),
            ("a 5 MB body", () => JsonContent("{\"from\":\"" + new string('x', 5 * 1024 * 1024) + "\"}"), "413"),
            ("text/plain", () => new StringContent("{\"from\":\"+97235550100\",\"to\":\"+972541234567\"}", Encoding.UTF8, "text/plain"), "415"),
            ("a form", () => new FormUrlEncodedContent([new("from", "+97235550100"), new("to", "+972541234567")]), "415"),
            ("no content type", () => new ByteArrayContent("{\"from\":\"+97235550100\"}"u8.ToArray()), "415"),
        })
        {
            yield return Case($"POST /api/calls with {name}", expected, s => s.OperatorAsync(HttpMethod.Post, "/api/calls", content()));
        }
        yield return Case("DELETE /api/calls", "405", s => s.OperatorAsync(HttpMethod.Delete, "/api/calls"));
        yield return Case("PUT a call", "405", s => s.OperatorAsync(HttpMethod.Put, "/api/calls/CA00000000000000000000000000000000", JsonContent("{}")));
        yield return Case("an unknown operator path", "404", s => s.OperatorAsync(HttpMethod.Get, "/api/nothing-here"));
    }

    private static IEnumerable<BadInputCase> Simulator()
    {
        const string area = "simulator";
        BadInputCase Case(string name, string expected, Func<BadInputSender, Task<string>> send) => new(area, name, expected, send);
        var caller = $"{CallerDataCanaries[0]} from {CallerDataCanaries[1]} needs {CallerDataCanaries[2]}";
        foreach (var (name, body) in new[]
        {
            ("malformed JSON", "{\"from\": "),
            ("an empty body", ""),
            ("a JSON array", "[]"),
            ("null", "null"),
            ("no from", "{\"to\":\"+97235550100\"}"),
            ("no to", "{\"from\":\"+972541234567\"}"),
            ("a blank from", "{\"from\":\"   \",\"to\":\"+97235550100\"}"),
            ("an unknown direction", "{\"from\":\"+972541234567\",\"to\":\"+97235550100\",\"direction\":\"sideways\"}"),
            ("an unknown outcome", "{\"from\":\"+972541234567\",\"to\":\"+97235550100\",\"outcome\":\"exploded\"}"),
            ("digits that are not keys", "{\"from\":\"+972541234567\",\"to\":\"+97235550100\",\"digits\":\"12a\"}"),
            ("audio that is not base64", "{\"from\":\"+972541234567\",\"to\":\"+97235550100\",\"audio\":\"%%%\"}"),
            ("an empty conversation", "{\"from\":\"+972541234567\",\"to\":\"+97235550100\",\"conversation\":[]}"),
            ("a conversation and a text", "{\"from\":\"+972541234567\",\"to\":\"+97235550100\",\"text\":\"" + caller + "\",\"conversation\":[{\"speaker\":\"caller\",\"at\":1,\"text\":\"hi\"}]}"),
            ("a line with an unknown speaker", "{\"from\":\"+972541234567\",\"to\":\"+97235550100\",\"conversation\":[{\"speaker\":\"ghost\",\"at\":1,\"text\":\"" + caller + "\"}]}"),
            ("a line without text", "{\"from\":\"+972541234567\",\"to\":\"+97235550100\",\"conversation\":[{\"speaker\":\"caller\",\"at\":1}]}"),
            ("a line of 1,001 characters", "{\"from\":\"+972541234567\",\"to\":\"+97235550100\",\"conversation\":[{\"speaker\":\"caller\",\"at\":1,\"text\":\"" + new string('x', 1001) + "\"}]}"),
            ("a line at a negative time", "{\"from\":\"+972541234567\",\"to\":\"+97235550100\",\"conversation\":[{\"speaker\":\"caller\",\"at\":-1,\"text\":\"" + caller + "\"}]}"),
            ("a line after the call's maximum length", "{\"from\":\"+972541234567\",\"to\":\"+97235550100\",\"conversation\":[{\"speaker\":\"caller\",\"at\":100000,\"text\":\"" + caller + "\"}]}"),
            ("a line at a time too large for a number", "{\"from\":\"+972541234567\",\"to\":\"+97235550100\",\"conversation\":[{\"speaker\":\"caller\",\"at\":1e400,\"text\":\"" + caller + "\"}]}"),
            ("101 lines", "{\"from\":\"+972541234567\",\"to\":\"+97235550100\",\"conversation\":[" + string.Join(',', Enumerable.Repeat("{\"speaker\":\"caller\",\"at\":1,\"text\":\"a\"}", 101)) + "]}"),
            ("a from that is a number", "{\"from\":972541234567,\"to\":\"+97235550100\"}"),
            ("a conversation that is an object", "{\"from\":\"+972541234567\",\"to\":\"+97235550100\",\"conversation\":{\"speaker\":\"caller\"}}"),
            ("JSON nested 10,000 deep", new string('[', 10_000) + new string(']', 10_000)),
        })
        {
            yield return Case($"POST /simulator/calls with {name}", "400", s => s.SimulatorAsync(HttpMethod.Post, "/simulator/calls", JsonContent(body)));
        }
        yield return Case("POST /simulator/calls with invalid UTF-8", "400", s => s.SimulatorAsync(HttpMethod.Post, "/simulator/calls",
            Bytes([.. "{\"from\":\""u8.ToArray(), .. InvalidUtf8, .. "\",\"to\":\"+97235550100\"}"u8.ToArray()], "application/json")));
        yield return Case("POST /simulator/calls as text/plain", "415", s => s.SimulatorAsync(HttpMethod.Post, "/simulator/calls", new StringContent("{}", Encoding.UTF8, "text/plain")));
        yield return Case("POST /simulator/calls as a form", "415", s => s.SimulatorAsync(HttpMethod.Post, "/simulator/calls", new FormUrlEncodedContent([new("from", "+972541234567")])));
        yield return Case("POST /simulator/calls with a 40 MB body", "413", s => s.SimulatorAsync(HttpMethod.Post, "/simulator/calls",
            JsonContent("{\"from\":\"+972541234567\",\"to\":\"+97235550100\",\"audio\":\"" + new string('A', 40 * 1024 * 1024) + "\"}")));
        yield return Case("GET an unknown simulated call", "404", s => s.SimulatorAsync(HttpMethod.Get, "/simulator/calls/CA00000000000000000000000000000000"));
        yield return Case("GET a simulated call with a 5,000-character sid", "404", s => s.SimulatorAsync(HttpMethod.Get, "/simulator/calls/" + new string('C', 5000)));
        yield return Case("DELETE /simulator/calls", "405", s => s.SimulatorAsync(HttpMethod.Delete, "/simulator/calls"));
    }

    private const string FormType = "application/x-www-form-urlencoded";

    /// <summary>What Twilio would post to <paramref name="path"/> for a call nobody else knows.</summary>
    private static KeyValuePair<string, string>[] ValidForm(string path, BadInputSender s)
    {
        var callSid = BadInputSender.NewCallSid();
        return path switch
        {
            Incoming => [new("AccountSid", s.AccountSid), new("CallSid", callSid), new("From", BadInputSender.Caller), new("To", BadInputSender.DemoBusinessNumber), new("CallStatus", "ringing"), new("Direction", "inbound")],
            Status => StatusForm(s, callSid, "completed", 0),
            _ => RecordingForm(s, callSid, BadInputSender.NewRecordingSid(), "in-progress"),
        };
    }

    private static KeyValuePair<string, string>[] StatusForm(BadInputSender s, string callSid, string status, int sequence) =>
    [
        new("AccountSid", s.AccountSid), new("CallSid", callSid), new("CallStatus", status), new("Direction", "inbound"),
        new("From", BadInputSender.Caller), new("To", BadInputSender.DemoBusinessNumber), new("SequenceNumber", sequence.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("CallDuration", "3"), new("Timestamp", "Fri, 14 Oct 2016 21:56:34 +0000"),
    ];

    private static KeyValuePair<string, string>[] RecordingForm(BadInputSender s, string callSid, string recordingSid, string status, string? url = null, string? errorCode = null) =>
    [
        new("AccountSid", s.AccountSid), new("CallSid", callSid), new("RecordingSid", recordingSid), new("RecordingStatus", status),
        new("RecordingUrl", url ?? $"https://api.twilio.com/2010-04-01/Accounts/{s.AccountSid}/Recordings/{recordingSid}"),
        new("RecordingChannels", "2"), new("RecordingDuration", "3"), new("ErrorCode", errorCode ?? "0"),
    ];

    private static Task<string> StatusAsync(BadInputSender s, string callSid, string status, int sequence) =>
        s.PostSignedFormAsync(Status, StatusForm(s, callSid, status, sequence));

    private static Task<string> RecordingAsync(BadInputSender s, string callSid, string recordingSid, string status, string? url = null, string? errorCode = null) =>
        s.PostSignedFormAsync(Recording, RecordingForm(s, callSid, recordingSid, status, url, errorCode));

    private static async Task<string> StepsAsync(params Func<Task<string>>[] steps)
    {
        var outcomes = new List<string>();
        foreach (var step in steps)
        {
            outcomes.Add(await step());
        }
        return string.Join(' ', outcomes);
    }

    private static Task<string> StartOnAsync(BadInputSender s, string token) =>
        s.MediaAsync(MediaPath(token), c => c.SendStartAsync(BadInputSender.NewCallSid(), BadInputSender.NewStreamSid(), s.AccountSid));

    private static async Task<string> AfterStartAsync(BadInputSender s, Func<MediaStreamClient, string, Task> junk)
    {
        var (callSid, token) = await s.AnswerNewCallAsync();
        var streamSid = BadInputSender.NewStreamSid();
        return await s.MediaAsync(MediaPath(token), async c =>
        {
            await c.SendStartAsync(callSid, streamSid, s.AccountSid);
            await junk(c, streamSid);
            await c.SendFramesAsync(streamSid, 5);
            await c.SendStopAsync(callSid, streamSid);
        });
    }

    /// <summary>A JSON body signed as Twilio signs one: the body's SHA-256 in the bodySHA256 query parameter, covered by the signature.</summary>
    private static Task<string> SignedJsonAsync(BadInputSender s, string path)
    {
        var body = Json("{\"CallSid\":\"" + BadInputSender.NewCallSid() + "\"}");
        var signedPath = $"{path}?bodySHA256={TwilioSignature.BodySha256(body)}";
        return s.PostRawAsync(signedPath, body, "application/json", [(TwilioSignature.HeaderName, s.Sign(signedPath, []))]);
    }

    /// <summary>
    /// Percent-encoded bytes that are not UTF-8 in one field, signed over what ASP.NET Core's form reader makes of the body
    /// (it leaves such sequences encoded), so only the gateway's own checks stand in the way.
    /// </summary>
    private static Task<string> PercentEncodedInvalidUtf8Async(BadInputSender s, string path, string field)
    {
        var raw = string.Join('&', ValidForm(path, s).Select(f => f.Key == field
            ? Uri.EscapeDataString(f.Key) + "=" + string.Concat(InvalidUtf8.Select(b => $"%{b:X2}"))
            : Uri.EscapeDataString(f.Key) + "=" + Uri.EscapeDataString(f.Value)));
        var decoded = new FormReader(raw).ReadForm().SelectMany(f => f.Value.Select(value => new KeyValuePair<string, string>(f.Key, value ?? ""))).ToList();
        return s.PostRawAsync(path, Encoding.ASCII.GetBytes(raw), FormType, [(TwilioSignature.HeaderName, s.Sign(path, decoded))]);
    }

    /// <summary>How the worker ended a call whose recording it must not fetch: "refused" when it failed naming the refusal.</summary>
    private static async Task<string> WorkerOutcomeAsync(BadInputSender s, string callSid)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            var record = await s.CallRecordAsync(callSid);
            if (record is { } call && call.PipelineStatus == "failed")
            {
                return call.ErrorReason?.Contains("RecordingUrl", StringComparison.Ordinal) == true ? "refused" : $"failed: {call.ErrorReason}";
            }
            await Task.Delay(500);
        }
        return "not failed within 60 s";
    }

    private static KeyValuePair<string, string>[] With(KeyValuePair<string, string>[] form, string name, string value) =>
        form.Any(f => f.Key == name) ? [.. form.Select(f => f.Key == name ? new KeyValuePair<string, string>(name, value) : f)] : [.. form, new(name, value)];

    private static KeyValuePair<string, string>[] Without(KeyValuePair<string, string>[] form, string name) => [.. form.Where(f => f.Key != name)];

    private static IEnumerable<KeyValuePair<string, string>> Fields(int count) => Enumerable.Range(0, count).Select(i => new KeyValuePair<string, string>($"F{i}", "v"));

    private static byte[] FormBytes(IEnumerable<KeyValuePair<string, string>> form) =>
        Encoding.ASCII.GetBytes(string.Join('&', form.Select(f => Uri.EscapeDataString(f.Key) + "=" + Uri.EscapeDataString(f.Value))));

    private static byte[] Json(string text) => Encoding.UTF8.GetBytes(text);

    private static StringContent JsonContent(string json) => new(json, Encoding.UTF8, "application/json");

    private static ByteArrayContent Bytes(byte[] bytes, string contentType)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return content;
    }

    private static string MediaPath(string token) => "/twilio/media/" + token;
}
