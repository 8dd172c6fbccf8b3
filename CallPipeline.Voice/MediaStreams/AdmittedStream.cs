using CallPipeline.Data.Entities;
using CallPipeline.Twilio.MediaStreams;

namespace CallPipeline.Voice.MediaStreams;

/// <summary>A stream bound to its call: the call as the claim left it, and the stream's <c>start</c>.</summary>
public sealed record AdmittedStream(string CallSid, string StreamSid, CallLog Call, StreamStart Start);
