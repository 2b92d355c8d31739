import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs a helper program without a shell: writes `input` to its stdin while collecting its
/// stdout and stderr, within a deadline and a size limit. The helper runs in a process group
/// of its own, so stopping it (on timeout or oversized output) also stops what it started.
///
/// The wait happens on a thread of its own, not on the cooperative pool: a helper may take
/// seconds, and the pool has as many threads as cores.
struct HelperProcess: Sendable {
    var executable: String
    var arguments: [String]
    var environment: [String: String]
    var timeout: Duration
    var maxOutputBytes: Int
    var maxErrorBytes: Int

    enum Termination: Sendable, Equatable {
        case exited(Int32)
        case signaled(Int32)
        /// Stopped by wabaform: it did not finish within the timeout.
        case timedOut
        /// Stopped by wabaform: stdout passed the size limit.
        case outputTooLarge
    }

    struct Outcome: Sendable {
        var termination: Termination
        var output: Data
        /// The first `maxErrorBytes` of stderr.
        var errorOutput: Data
        var errorOutputTruncated: Bool
    }

    struct SpawnFailure: Error, Sendable {
        var errno: Int32
    }

    func run(input: Data) async throws -> Outcome {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result { try self.runBlocking(input: input) }) }
            thread.start()
        }
    }

    private func runBlocking(input: Data) throws -> Outcome {
        // A helper that exits without reading its stdin must not kill wabaform with SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        var stdinPipe: [Int32] = [-1, -1], stdoutPipe: [Int32] = [-1, -1], stderrPipe: [Int32] = [-1, -1]
        guard pipe(&stdinPipe) == 0 else { throw SpawnFailure(errno: errno) }
        guard pipe(&stdoutPipe) == 0 else { closeAll(stdinPipe); throw SpawnFailure(errno: errno) }
        guard pipe(&stderrPipe) == 0 else { closeAll(stdinPipe + stdoutPipe); throw SpawnFailure(errno: errno) }
        for fd in stdinPipe + stdoutPipe + stderrPipe { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }

        let pid: pid_t
        do {
            pid = try spawn(stdin: stdinPipe[0], stdout: stdoutPipe[1], stderr: stderrPipe[1])
        } catch {
            closeAll(stdinPipe + stdoutPipe + stderrPipe)
            throw error
        }
        close(stdinPipe[0])
        close(stdoutPipe[1])
        close(stderrPipe[1])
        let writeEnd = stdinPipe[1], outEnd = stdoutPipe[0], errEnd = stderrPipe[0]
        for fd in [writeEnd, outEnd, errEnd] { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }

        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var pending = input[...]
        var inputOpen = true, outOpen = true, errOpen = true
        var output = Data(), errorOutput = Data(), errorTruncated = false
        var stopped: Termination?
        var buffer = [UInt8](repeating: 0, count: 65_536)

        func closeInput() {
            if inputOpen { close(writeEnd) }
            inputOpen = false
        }
        if pending.isEmpty { closeInput() }

        while outOpen || errOpen {
            let remaining = deadline - clock.now
            guard remaining > .zero else {
                stopped = .timedOut
                break
            }
            var fds: [pollfd] = []
            if inputOpen { fds.append(pollfd(fd: writeEnd, events: Int16(POLLOUT), revents: 0)) }
            if outOpen { fds.append(pollfd(fd: outEnd, events: Int16(POLLIN), revents: 0)) }
            if errOpen { fds.append(pollfd(fd: errEnd, events: Int16(POLLIN), revents: 0)) }
            let waitMilliseconds = Int32(clamping: min(remaining.components.seconds * 1000 + 1, 1000))
            let ready = poll(&fds, nfds_t(fds.count), waitMilliseconds)
            if ready < 0 {
                if errno == EINTR { continue }
                stopped = .timedOut
                break
            }
            for entry in fds where entry.revents != 0 {
                if entry.fd == writeEnd {
                    let count = min(pending.count, 65_536)
                    let written = pending.withUnsafeBytes { write(writeEnd, $0.baseAddress, count) }
                    if written > 0 {
                        pending = pending.dropFirst(written)
                        if pending.isEmpty { closeInput() }
                    } else if written < 0, errno != EAGAIN, errno != EINTR {
                        closeInput()  // EPIPE: the helper does not read its input
                    }
                    continue
                }
                let count = read(entry.fd, &buffer, buffer.count)
                if count > 0 {
                    if entry.fd == outEnd {
                        output.append(contentsOf: buffer[0..<count])
                    } else {
                        let room = max(0, maxErrorBytes - errorOutput.count)
                        errorOutput.append(contentsOf: buffer[0..<min(count, room)])
                        if count > room { errorTruncated = true }
                    }
                } else if count == 0 || (errno != EAGAIN && errno != EINTR) {
                    if entry.fd == outEnd { outOpen = false } else { errOpen = false }
                    close(entry.fd)
                }
            }
            if output.count > maxOutputBytes {
                stopped = .outputTooLarge
                break
            }
        }
        closeInput()
        if outOpen { close(outEnd) }
        if errOpen { close(errEnd) }

        // Both streams are closed; the helper may still be running (or be the one stopped).
        var status: Int32 = 0
        if stopped == nil {
            while waitpid(pid, &status, WNOHANG) == 0 {
                if clock.now >= deadline {
                    stopped = .timedOut
                    break
                }
                usleep(10_000)
            }
        }
        if let stopped {
            kill(-pid, SIGKILL)
            while waitpid(pid, &status, 0) < 0, errno == EINTR {}
            return Outcome(termination: stopped, output: output, errorOutput: errorOutput, errorOutputTruncated: errorTruncated)
        }
        let signalNumber = status & 0x7f
        let termination: Termination = signalNumber == 0 ? .exited((status >> 8) & 0xff) : .signaled(signalNumber)
        return Outcome(termination: termination, output: output, errorOutput: errorOutput, errorOutputTruncated: errorTruncated)
    }

    /// posix_spawn with the pipe ends as stdin/stdout/stderr, a new process group, and
    /// default signal handling (SIGPIPE included) in the helper.
    private func spawn(stdin: Int32, stdout: Int32, stderr: Int32) throws -> pid_t {
        #if canImport(Darwin)
            var actions: posix_spawn_file_actions_t?
            var attributes: posix_spawnattr_t?
        #else
            var actions = posix_spawn_file_actions_t()
            var attributes = posix_spawnattr_t()
        #endif
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdin, 0)
        posix_spawn_file_actions_adddup2(&actions, stdout, 1)
        posix_spawn_file_actions_adddup2(&actions, stderr, 2)
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setpgroup(&attributes, 0)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.sorted(by: { $0.key < $1.key }).map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv + envp { free(pointer) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard result == 0 else { throw SpawnFailure(errno: result) }
        return pid
    }

    private func closeAll(_ fds: [Int32]) {
        for fd in fds where fd >= 0 { close(fd) }
    }
}
