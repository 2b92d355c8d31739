#ifndef WABAFORM_CONCURRENCY_HOOK_H
#define WABAFORM_CONCURRENCY_HOOK_H

/// Sets Swift Concurrency's global-enqueue hook (`swift_task_enqueueGlobal_hook` in
/// libswift_Concurrency) if no one has set it yet, and says whether it did. With the Swift
/// standard library linked statically the hook is hidden from `dlsym`, so SwiftNIO's own
/// installer cannot find it; a reference from C is resolved by the linker instead.
int wabaform_install_enqueue_global_hook(const void *hook);

#endif
