using CallPipeline.Data.Entities;
using CallPipeline.Worker.Audio;

namespace CallPipeline.Worker.Transcription;

/// <summary>
/// Audio to transcribe as one turn: a speaker's turn on a two-channel recording, or the whole of (or one part of) a
/// one-channel recording, whose speaker is unknown. Start and end are seconds of the recording; the uploads are the
/// turn's audio in order (several when it is over the upload limit).
/// </summary>
public sealed record TranscriptionClip(SpeakerRole Role, double Start, double End, IReadOnlyList<ClipUpload> Uploads);

/// <summary>One file sent for transcription, and the name it is sent under: the whole file, or a slice of its samples.</summary>
public sealed record ClipUpload(string Path, string FileName, WavSlice? Slice = null)
{
    public Stream Open() => Slice is null ? File.OpenRead(Path) : Slice.Open(Path);
}
