namespace CallPipeline.DevDoubles.Simulator.CallerSpeech;

/// <summary>Finds a program as the shell would: a path that exists, or the first match on PATH.</summary>
public static class ProgramLocator
{
    public static string? Find(string program)
    {
        if (program.Contains(Path.DirectorySeparatorChar))
        {
            return File.Exists(program) ? program : null;
        }
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, program))
            .FirstOrDefault(File.Exists);
    }
}
