// Clang's thread-safety attributes (-Wthread-safety), spelled as macros so the compiler checks
// which mutex guards which member and which functions must hold it. Under GCC (and any
// compiler without the attributes) they expand to nothing. Use them with common/mutex.h's
// Mutex and SharedMutex: std::mutex carries no annotations in libstdc++.
#pragma once

#if defined(__clang__)
#define KILN_THREAD_ANNOTATION(x) __attribute__((x))
#else
#define KILN_THREAD_ANNOTATION(x)
#endif

// A class that is a lock (a mutex); `x` names the kind in messages, e.g. "mutex".
#define CAPABILITY(x) KILN_THREAD_ANNOTATION(capability(x))
// An RAII class that holds a capability for its lifetime (MutexLock).
#define SCOPED_CAPABILITY KILN_THREAD_ANNOTATION(scoped_lockable)
// A member that may be read or written only while holding `x`.
#define GUARDED_BY(x) KILN_THREAD_ANNOTATION(guarded_by(x))
// A pointer member whose pointee may be touched only while holding `x`.
#define PT_GUARDED_BY(x) KILN_THREAD_ANNOTATION(pt_guarded_by(x))
// `x` must be acquired before / after this one (lock ordering).
#define ACQUIRED_BEFORE(...) KILN_THREAD_ANNOTATION(acquired_before(__VA_ARGS__))
#define ACQUIRED_AFTER(...) KILN_THREAD_ANNOTATION(acquired_after(__VA_ARGS__))
// The caller must hold the capabilities (exclusively / at least shared).
#define REQUIRES(...) KILN_THREAD_ANNOTATION(requires_capability(__VA_ARGS__))
#define REQUIRES_SHARED(...) KILN_THREAD_ANNOTATION(requires_shared_capability(__VA_ARGS__))
// The function acquires / releases the capabilities (none named: the object itself).
#define ACQUIRE(...) KILN_THREAD_ANNOTATION(acquire_capability(__VA_ARGS__))
#define ACQUIRE_SHARED(...) KILN_THREAD_ANNOTATION(acquire_shared_capability(__VA_ARGS__))
#define RELEASE(...) KILN_THREAD_ANNOTATION(release_capability(__VA_ARGS__))
#define RELEASE_SHARED(...) KILN_THREAD_ANNOTATION(release_shared_capability(__VA_ARGS__))
#define RELEASE_GENERIC(...) KILN_THREAD_ANNOTATION(release_generic_capability(__VA_ARGS__))
// The function acquires the capability when it returns `result` (e.g. true for TryLock).
#define TRY_ACQUIRE(...) KILN_THREAD_ANNOTATION(try_acquire_capability(__VA_ARGS__))
#define TRY_ACQUIRE_SHARED(...) KILN_THREAD_ANNOTATION(try_acquire_shared_capability(__VA_ARGS__))
// The caller must not hold the capabilities (the function takes them itself).
#define EXCLUDES(...) KILN_THREAD_ANNOTATION(locks_excluded(__VA_ARGS__))
// The function checks at run time that the capability is held; the analysis then assumes it.
#define ASSERT_CAPABILITY(x) KILN_THREAD_ANNOTATION(assert_capability(x))
// The function returns a reference to the capability `x`.
#define RETURN_CAPABILITY(x) KILN_THREAD_ANNOTATION(lock_returned(x))
// Turns the analysis off for one function; say why next to each use.
#define NO_THREAD_SAFETY_ANALYSIS KILN_THREAD_ANNOTATION(no_thread_safety_analysis)
