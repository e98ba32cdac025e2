using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace BetweenSessions.Groups.Backup;

/// <summary>A refusal with a message for the person at the terminal; nothing was changed.</summary>
public sealed class RefusedException(string message) : Exception(message);

public static class SqliteFiles
{
    // The app's database is in WAL mode: its latest commits may still be in the -wal file beside it, and the
    // -shm file is shared memory that only means something while the app runs.
    private static readonly string[] Companions = ["-wal", "-journal"];

    /// <summary>
    /// Copies <paramref name="db"/> to <paramref name="output"/> with SQLite's online backup API, in one step: the
    /// copy is one read transaction, so it is the database as of one commit (every commit before it, including those
    /// still in the -wal file, and nothing of a later one), while the app goes on writing.
    /// </summary>
    public static void Backup(string db, string output)
    {
        if (!File.Exists(db))
            throw new RefusedException($"No database at {db}. The app creates it when it first starts (build/run.sh).");
        if (File.Exists(output))
            throw new RefusedException($"{output} already exists; a backup never overwrites one.");
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);

        var partial = output + ".partial";
        DeleteWithCompanions(partial);
        try
        {
            Copy(db, partial, sourceMode: SqliteOpenMode.ReadWrite);
            var size = Verify(partial, requireAppSchema: false);
            File.Move(partial, output);
            Console.WriteLine($"Backed up {db}");
            Console.WriteLine($"       to {output} ({Size(size)}, integrity ok)");
        }
        finally
        {
            DeleteWithCompanions(partial);
        }
    }

    /// <summary>
    /// Puts the backup in place of <paramref name="db"/>, keeping the replaced database (with its -wal, which may hold
    /// its last commits) beside it as <c>db.before-restore-STAMP</c>. Refuses while any process has the database open.
    /// </summary>
    public static void Restore(string backup, string db)
    {
        if (!File.Exists(backup)) throw new RefusedException($"No backup at {backup}.");
        Verify(backup, requireAppSchema: true, SqliteOpenMode.ReadOnly);
        RefuseWhileOpen(db);
        Directory.CreateDirectory(Path.GetDirectoryName(db)!);

        // Copied beside the target first, so that the swap below is two renames on one file system.
        var restoring = db + ".restoring";
        DeleteWithCompanions(restoring);
        try
        {
            Copy(backup, restoring, sourceMode: SqliteOpenMode.ReadOnly);
            var size = Verify(restoring, requireAppSchema: true);

            var aside = $"{db}.before-restore-{DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}Z";
            var keptAside = new List<string>();
            foreach (var suffix in (string[])["", .. Companions])
            {
                if (!File.Exists(db + suffix)) continue;
                File.Move(db + suffix, aside + suffix);
                keptAside.Add(aside + suffix);
            }
            // Stale shared memory of the replaced database: the app would otherwise read it as this file's.
            File.Delete(db + "-shm");
            File.Move(restoring, db);

            Console.WriteLine($"Restored {db}");
            Console.WriteLine($"    from {backup} ({Size(size)}, integrity ok)");
            Console.WriteLine(keptAside.Count == 0
                ? "There was no database there before."
                : $"The database it replaced is kept as {string.Join(" and ", keptAside)}.");
            Console.WriteLine("Start the app: it migrates the restored database if this release is newer.");
        }
        finally
        {
            DeleteWithCompanions(restoring);
        }
    }

    private static void Copy(string source, string destination, SqliteOpenMode sourceMode)
    {
        using var from = Open(source, sourceMode);
        using var to = Open(destination, SqliteOpenMode.ReadWriteCreate);
        // busy_timeout covers the short moments the app holds a lock a reader must wait for (a checkpoint's
        // restart of the log); a lock held longer than that fails the step, and it is tried again.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                from.BackupDatabase(to);
                break;
            }
            catch (SqliteException busy) when (busy.SqliteErrorCode is 5 or 6 && attempt < 10)
            {
                Thread.Sleep(TimeSpan.FromMilliseconds(200 * attempt));
            }
        }
        // The copy keeps the source's WAL flag; a backup is one self-contained file instead (the app switches its
        // database to WAL again at start-up).
        Execute(to, "PRAGMA journal_mode = DELETE;");
    }

    /// <summary>The file's size once SQLite's integrity check passed on it.</summary>
    private static long Verify(string file, bool requireAppSchema, SqliteOpenMode mode = SqliteOpenMode.ReadWrite)
    {
        using (var connection = Open(file, mode))
        {
            var problems = new List<string>();
            using (var check = connection.CreateCommand())
            {
                check.CommandText = "PRAGMA integrity_check;";
                using var reader = check.ExecuteReader();
                while (reader.Read()) problems.Add(reader.GetString(0));
            }
            if (problems is not ["ok"])
                throw new RefusedException($"{file} fails SQLite's integrity check: {string.Join("; ", problems.Take(5))}");
            if (requireAppSchema && Scalar(connection, "SELECT count(*) FROM sqlite_schema WHERE name = '__EFMigrationsHistory';") == 0)
                throw new RefusedException($"{file} is an SQLite database, but not one of this app's (it has no migrations table).");
        }
        return new FileInfo(file).Length;
    }

    /// <summary>
    /// Refuses while a process has the database or its -wal or -shm open: the app keeps its connections open as
    /// long as it runs. Linux only (/proc); a process of another user is visible to root only.
    /// </summary>
    private static void RefuseWhileOpen(string db)
    {
        if (!Directory.Exists("/proc/self/fd"))
        {
            Console.Error.WriteLine("warning: cannot see which processes have files open here; make sure the app is stopped.");
            return;
        }
        var canonical = Canonical(db);
        var files = new HashSet<string>(new[] { "", "-wal", "-shm" }.Select(suffix => canonical + suffix), StringComparer.Ordinal);
        var holders = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var process in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(process), out var pid) || pid == Environment.ProcessId) continue;
            try
            {
                foreach (var fd in Directory.EnumerateFileSystemEntries(Path.Combine(process, "fd")))
                {
                    if (new FileInfo(fd).LinkTarget is { } target && files.Contains(target))
                    {
                        // The name only: a command line may carry a connection string or other secrets.
                        holders.Add($"{pid} ({File.ReadAllText(Path.Combine(process, "comm")).Trim()})");
                        break;
                    }
                }
            }
            catch (Exception gone) when (gone is IOException or UnauthorizedAccessException)
            {
                // The process ended meanwhile, or belongs to another user.
            }
        }
        if (holders.Count > 0)
            throw new RefusedException(
                $"{db} is open in process {string.Join(", ", holders)}: the app seems to be running on it. " +
                "Stop the app first; nothing was changed.");
    }

    /// <summary>The path as /proc/PID/fd shows it: through symbolic links to the folder (/tmp may be one).</summary>
    private static string Canonical(string file)
    {
        var folder = Path.GetDirectoryName(file)!;
        if (!Directory.Exists(folder)) return file;
        var resolved = realpath(folder, IntPtr.Zero);
        if (resolved == IntPtr.Zero) return file;
        try { return Path.Combine(Marshal.PtrToStringUTF8(resolved)!, Path.GetFileName(file)); }
        finally { free(resolved); }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern IntPtr realpath([MarshalAs(UnmanagedType.LPUTF8Str)] string path, IntPtr resolved);

    [DllImport("libc")]
    private static extern void free(IntPtr pointer);

    private static SqliteConnection Open(string file, SqliteOpenMode mode)
    {
        // No pooling: closing must really close the file before it is renamed or deleted.
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = mode, Pooling = false }.ToString());
        connection.Open();
        Execute(connection, "PRAGMA busy_timeout = 10000;");
        try
        {
            // Opening reads nothing; this does, and names the file when it is not a database at all.
            Scalar(connection, "SELECT count(*) FROM sqlite_schema;");
        }
        catch (SqliteException notDatabase)
        {
            connection.Dispose();
            throw new RefusedException($"{file} cannot be read as an SQLite database: {notDatabase.Message}");
        }
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static long Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static void DeleteWithCompanions(string file)
    {
        foreach (var suffix in new[] { "", "-wal", "-shm", "-journal" }) File.Delete(file + suffix);
    }

    private static string Size(long bytes) => bytes switch
    {
        < 1024 * 1024 => $"{bytes / 1024.0:0.#} KB",
        < 1024L * 1024 * 1024 => $"{bytes / (1024.0 * 1024):0.#} MB",
        _ => $"{bytes / (1024.0 * 1024 * 1024):0.##} GB",
    };
}
