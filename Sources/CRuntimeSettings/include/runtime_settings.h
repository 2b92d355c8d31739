#ifndef WABAFORM_RUNTIME_SETTINGS_H
#define WABAFORM_RUNTIME_SETTINGS_H

/// Sets Swift Concurrency's global-enqueue hook (`swift_task_enqueueGlobal_hook` in
/// libswift_Concurrency) if no one has set it yet, and says whether it did. With the Swift
/// standard library linked statically the hook is hidden from `dlsym`, so SwiftNIO's own
/// installer cannot find it; a reference from C is resolved by the linker instead.
int wabaform_install_enqueue_global_hook(const void *hook);

/// Runs a global job (an `UnownedJob`'s pointer) on the generic executor, on this thread: the
/// job's task then knows it has no isolation, so its hops between nonisolated functions run on
/// in place instead of being enqueued again.
void wabaform_run_job_on_generic_executor(void *job);

/// Fixes glibc's threshold above which an allocation gets pages of its own (`M_MMAP_THRESHOLD`,
/// which also stops glibc raising it as large blocks are freed); says whether it could.
/// Elsewhere than glibc it does nothing and says no.
int wabaform_set_mmap_threshold(int bytes);

#endif
