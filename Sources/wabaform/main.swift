import CRuntimeSettings
import NIOCore
import NIOPosix
import WabaformCLI

/// Allocations of 256 KiB and more get pages of their own, returned when freed. glibc's
/// default raises that threshold to the largest block freed so far, so after the first
/// large array was freed, channel pages, sorted copies and the tables of a large fleet came
/// from the heap and left holes behind: a 100,000-channel plan peaked at 184-186 MB
/// resident; with the threshold fixed, 170 MB (docs/performance.md).
WabaformMain.mmapThresholdFixed.store(wabaform_set_mmap_threshold(256 * 1024) != 0, ordering: .relaxed)

/// Swift Concurrency's global jobs run on the event loop already running (SwiftNIO's
/// singleton group, which AsyncHTTPClient uses), not on a pool of
/// their own: an answer's continuation needs no hop to another thread and no wake-up. A
/// 10,000-channel plan used about 17% less CPU (system time halved), its wall time 1-2%
/// shorter (docs/performance.md). This is SwiftNIO's
/// `unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor`, which finds the
/// hook with `dlsym` and so cannot in a binary with the standard library linked statically.
/// Each job runs on the generic executor (no isolation), not as SwiftNIO's own installer
/// runs it, on the event loop's serial executor: a task that thinks it is isolated to the
/// event loop re-enqueues itself at every hop into a nonisolated function, about 84 jobs per
/// request, where with the generic executor those hops run on in place. callgrind, a
/// 1,000-channel plan: 925M -> 754M instructions; 10,000 channels: CPU 2.85-3.01 s ->
/// 2.57-2.72 s (docs/performance.md).
/// The catch: work that blocks (reading a file, waiting for `yes`) holds an event loop, as
/// it held a pool thread before.
///
/// Not for `wabaform sandbox`: a server's handlers then delay its own reads and timers, and
/// the benchmark's baseline client took 7.65-7.69 s against such a sandbox instead of
/// 7.04-7.07 s (10,000 channels at 20 ms). `plan --sandbox` (client and sandbox in one
/// process, a demo) keeps it.
typealias EnqueueGlobalHook = @convention(thin) (UnownedJob, @convention(thin) (UnownedJob) -> Void) -> Void
let onEventLoop: EnqueueGlobalHook = { job, _ in
    MultiThreadedEventLoopGroup.singleton.any().execute {
        wabaform_run_job_on_generic_executor(unsafeBitCast(job, to: UnsafeMutableRawPointer.self))
    }
}
let serving = CommandLine.arguments.dropFirst().first == "sandbox"
let installed =
    !serving
    && withUnsafePointer(to: onEventLoop) { hook in
        hook.withMemoryRebound(to: UnsafeRawPointer.self, capacity: 1) { wabaform_install_enqueue_global_hook($0.pointee) != 0 }
    }
WabaformMain.jobsOnEventLoops.store(installed, ordering: .relaxed)

await WabaformMain.main()
