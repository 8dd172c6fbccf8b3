namespace CallPipeline.Tests.DevDoubles.Twilio.Support;

/// <summary>What the double answered when the fake gateway started a recording.</summary>
internal sealed record RecordingStart(int StatusCode, string Body);
