using CallPipeline.DevDoubles.Simulator.CallerSpeech;
using CallPipeline.DevDoubles.Twilio;
using CallPipeline.DevDoubles.Twilio.Calls;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace CallPipeline.DevDoubles.Simulator.Apis;

/// <summary>The call simulator: place a call that Twilio would carry to the voice gateway, and watch it.</summary>
public static class SimulatorApi
{
    private const int MaxConversationLines = 100;
    private const int MaxLineLength = 1000;

    public static IEndpointRouteBuilder MapSimulatorApi(this IEndpointRouteBuilder app)
    {
        var simulator = app.MapGroup("/simulator/calls");
        simulator.MapPost("/", PlaceCall);
        simulator.MapGet("/", (SimulatedCalls calls) => TypedResults.Ok(calls.NewestFirst().Select(SimulatedCallView.Of).ToList()));
        simulator.MapGet("/{callSid}", GetCall);
        return app;
    }

    private static Results<Created<PlacedCall>, ValidationProblem, ProblemHttpResult> PlaceCall(
        PlaceCallRequest request,
        CallSimulator simulator,
        CallerSpeechSynthesizer speech,
        IOptions<SimulatorOptions> simulatorOptions,
        IOptionsMonitor<TwilioDoubleOptions> twilioOptions)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.From))
        {
            errors["from"] = ["The caller's number is required, e.g. +972541234567."];
        }
        if (string.IsNullOrWhiteSpace(request.To))
        {
            errors["to"] = ["The called number is required, e.g. +97235550100."];
        }
        if (request.Direction is not (null or "inbound" or "outbound"))
        {
            errors["direction"] = ["Direction is inbound or outbound."];
        }
        if (!CallOutcomes.TryParse(request.Outcome, out var outcome))
        {
            errors["outcome"] = ["Outcome is answered, no-answer, busy or failed."];
        }
        if (request.Digits is { } digits && !digits.All(d => char.IsAsciiDigit(d) || d is '*' or '#'))
        {
            errors["digits"] = ["Digits are keypad keys: 0-9, * and #."];
        }
        byte[]? audio = null;
        if (request.Audio is { Length: > 0 } encoded)
        {
            try
            {
                audio = Convert.FromBase64String(encoded);
            }
            catch (FormatException)
            {
                errors["audio"] = ["Audio is a base64-encoded audio file (WAV or anything ffmpeg reads)."];
            }
        }
        var conversation = ReadConversation(request, simulatorOptions.Value.MaxCallDuration, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var voiceBaseUrl = simulatorOptions.Value.VoiceBaseUrl.TrimEnd('/');
        if (voiceBaseUrl.Length == 0)
        {
            return TypedResults.Problem("Simulator:VoiceBaseUrl is not configured: the simulator does not know where the voice gateway is.",
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        if (!twilioOptions.CurrentValue.IsConfigured)
        {
            return TypedResults.Problem("Twilio:AccountSid and Twilio:AuthToken are not configured: the simulator signs every webhook with that account's token.",
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        if ((audio is null || conversation is not null) && !speech.IsAvailable)
        {
            return TypedResults.Problem(
                $"espeak-ng is not installed, so the caller cannot speak. Install the package {CallerSpeechSynthesizer.EspeakPackage} (apt-get install {CallerSpeechSynthesizer.EspeakPackage}).",
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        var outbound = request.Direction == "outbound";
        var call = new SimulatedCall
        {
            CallSid = TwilioSid.NewCall(),
            AccountSid = twilioOptions.CurrentValue.AccountSid,
            From = request.From!.Trim(),
            To = request.To!.Trim(),
            Direction = outbound ? TwilioDirections.OutboundApi : TwilioDirections.Inbound,
            Outcome = outcome,
            Text = request.Text,
            Audio = audio,
            Conversation = conversation,
            Digits = request.Digits,
            TwimlUrl = $"{voiceBaseUrl}/twilio/voice/incoming",
            StatusCallback = $"{voiceBaseUrl}/twilio/voice/status",
            // A phone number's status callback reports the end of the call; a REST-placed call asks for every step.
            StatusCallbackEvents = outbound ? new HashSet<string>(["initiated", "ringing", "answered", "completed"]) : new HashSet<string>(["completed"]),
        };
        simulator.Place(call);
        return TypedResults.Created($"/simulator/calls/{call.CallSid}", new PlacedCall(call.CallSid));
    }

    /// <summary>A conversation's lines, checked; null when the request scripts none. Problems go into <paramref name="errors"/>.</summary>
    private static List<ConversationLine>? ReadConversation(PlaceCallRequest request, TimeSpan maxCallDuration, Dictionary<string, string[]> errors)
    {
        if (request.Conversation is not { } lines)
        {
            return null;
        }
        if (!string.IsNullOrEmpty(request.Text) || !string.IsNullOrEmpty(request.Audio))
        {
            errors["conversation"] = ["Give either text (or audio) or a conversation, not both."];
            return null;
        }
        if (lines.Count is 0 or > MaxConversationLines)
        {
            errors["conversation"] = [$"A conversation has 1 to {MaxConversationLines} lines."];
            return null;
        }
        var problems = new List<string>();
        var read = new List<ConversationLine>();
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            ConversationSide? side = line?.Speaker switch { "caller" => ConversationSide.Caller, "line" => ConversationSide.Line, _ => null };
            if (side is null)
            {
                problems.Add($"Line {i}: speaker is caller or line.");
            }
            if (string.IsNullOrWhiteSpace(line?.Text) || line.Text.Length > MaxLineLength)
            {
                problems.Add($"Line {i}: text is what is said, 1 to {MaxLineLength} characters.");
            }
            if (line?.At is not { } at || !double.IsFinite(at) || at < 0 || at > maxCallDuration.TotalSeconds)
            {
                problems.Add($"Line {i}: at is the time it is said, in seconds from the answer, within the call's maximum of {maxCallDuration.TotalSeconds:0} s.");
            }
            else if (side is { } known && problems.Count == 0)
            {
                read.Add(new ConversationLine(known, line.Text!.Trim(), TimeSpan.FromSeconds(at)));
            }
        }
        if (problems.Count > 0)
        {
            errors["conversation"] = [.. problems];
            return null;
        }
        return read;
    }

    private static Results<Ok<SimulatedCallView>, NotFound> GetCall(string callSid, SimulatedCalls calls) =>
        calls.Find(callSid) is { } call ? TypedResults.Ok(SimulatedCallView.Of(call)) : TypedResults.NotFound();
}
