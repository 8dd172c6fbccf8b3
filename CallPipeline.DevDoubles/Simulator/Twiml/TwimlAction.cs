namespace CallPipeline.DevDoubles.Simulator.Twiml;

/// <summary>What a TwiML document makes the call do next, as far as the simulator acts it out.</summary>
public abstract record TwimlAction;

/// <summary><c>&lt;Connect&gt;&lt;Stream url&gt;</c> with its <c>&lt;Parameter&gt;</c>s: a bidirectional Media Stream.</summary>
public sealed record ConnectStream(Uri Url, string? Name, IReadOnlyDictionary<string, string> Parameters) : TwimlAction;

/// <summary><c>&lt;Reject reason="rejected|busy"&gt;</c>: the call is not answered and ends busy.</summary>
public sealed record RejectCall(string Reason) : TwimlAction;

/// <summary><c>&lt;Hangup&gt;</c>, or the document ran out of verbs: the call ends completed.</summary>
public sealed record HangUpCall(string Why) : TwimlAction;

/// <summary>A document Twilio cannot execute; the caller hears an application error and the call ends.</summary>
public sealed record InvalidTwiml(int ErrorCode, string Reason) : TwimlAction;
