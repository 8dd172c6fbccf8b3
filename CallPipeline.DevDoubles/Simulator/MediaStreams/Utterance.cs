namespace CallPipeline.DevDoubles.Simulator.MediaStreams;

/// <summary>
/// Something one side says: its words, its audio (8 kHz mu-law), and the stream frame it is due at; null means once
/// the gateway's greeting has played (or the caller's patience ran out).
/// </summary>
public sealed record Utterance(string Text, byte[] MuLaw, long? AtFrame);

/// <summary>Where an utterance actually went out: its first frame and the frame after its last, on the stream's timeline.</summary>
public sealed record PlayedUtterance(string Text, long StartFrame, long EndFrame);
