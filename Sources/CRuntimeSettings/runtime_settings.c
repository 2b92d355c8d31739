#include "runtime_settings.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>  // defines __GLIBC__ on glibc
#if defined(__GLIBC__)
#include <malloc.h>
#endif

extern const void *swift_task_enqueueGlobal_hook;

/// The runtime's `SerialExecutorRef`: an identity and an implementation word; both zero is
/// the generic executor (no isolation).
typedef struct {
    const void *identity;
    uintptr_t implementation;
} wabaform_serial_executor_ref;

/// libswift_Concurrency's `swift_job_run(Job *, SerialExecutorRef)`, declared as the runtime
/// declares it (`SWIFT_CC(swift)`).
extern __attribute__((swiftcall)) void swift_job_run(void *job, wabaform_serial_executor_ref executor);

int wabaform_install_enqueue_global_hook(const void *hook) {
    const void *expected = NULL;
    return __atomic_compare_exchange_n(&swift_task_enqueueGlobal_hook, &expected, hook, 0, __ATOMIC_SEQ_CST,
                                       __ATOMIC_SEQ_CST);
}

void wabaform_run_job_on_generic_executor(void *job) {
    wabaform_serial_executor_ref generic = {NULL, 0};
    swift_job_run(job, generic);
}

int wabaform_set_mmap_threshold(int bytes) {
#if defined(__GLIBC__)
    return mallopt(M_MMAP_THRESHOLD, bytes);
#else
    (void)bytes;
    return 0;
#endif
}
