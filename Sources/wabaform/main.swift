import CConcurrencyHook
import NIOCore
import NIOPosix
import WabaformCLI

/// Swift Concurrency's global jobs run on the event loop already running (SwiftNIO's
/// singleton group, which AsyncHTTPClient and the sandbox's server use), not on a pool of
/// their own: an answer's continuation needs no hop to another thread and no wake-up. A
/// 10,000-channel plan used 17% less CPU (most of it system time) and ran 8% faster
/// (docs/performance.md). This is SwiftNIO's
/// `unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor`, which finds the
/// hook with `dlsym` and so cannot in a binary with the standard library linked statically.
/// The catch: work that blocks (reading a file, waiting for `yes`) holds an event loop, as
/// it held a pool thread before.
typealias EnqueueGlobalHook = @convention(thin) (UnownedJob, @convention(thin) (UnownedJob) -> Void) -> Void
let onEventLoop: EnqueueGlobalHook = { job, _ in
    MultiThreadedEventLoopGroup.singleton.any().enqueue(ExecutorJob(job))
}
let installed = withUnsafePointer(to: onEventLoop) { hook in
    hook.withMemoryRebound(to: UnsafeRawPointer.self, capacity: 1) { wabaform_install_enqueue_global_hook($0.pointee) != 0 }
}
WabaformMain.jobsOnEventLoops.store(installed, ordering: .relaxed)

await WabaformMain.main()
