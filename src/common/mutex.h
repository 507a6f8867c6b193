// Mutexes the compiler can reason about: std::mutex and std::shared_mutex wrapped with Clang's
// thread-safety annotations (common/thread_annotations.h), and the scoped locks that hold them.
// Members a mutex guards are declared GUARDED_BY(mu_); clang's -Wthread-safety then checks
// every access (scripts/check_thread_safety.sh). All of these are as thread-safe as the std
// types they wrap; none is copyable or movable.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <shared_mutex>
#include <stop_token>

#include "common/thread_annotations.h"

namespace kiln {

// An exclusive lock (std::mutex).
class CAPABILITY("mutex") Mutex {
 public:
  Mutex() = default;
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;

  void Lock() ACQUIRE() { mu_.lock(); }
  void Unlock() RELEASE() { mu_.unlock(); }
  // True when the lock was free and is now held by the caller.
  bool TryLock() TRY_ACQUIRE(true) { return mu_.try_lock(); }
  // Tells the analysis the caller holds the lock, where it cannot see it (a lock held across
  // calls). Checks nothing at run time.
  void AssertHeld() const ASSERT_CAPABILITY(this) {}

 private:
  friend class MutexLock;
  std::mutex mu_;
};

// Tells MutexLock that the caller already holds the mutex (after a successful TryLock).
struct AdoptLock {};

// Holds a Mutex from construction to destruction, and waits on condition variables with it.
class SCOPED_CAPABILITY MutexLock {
 public:
  explicit MutexLock(Mutex& mu) ACQUIRE(mu) : mu_(mu) { mu_.Lock(); }
  // Takes over a lock the caller holds (e.g. `if (mu.TryLock()) { MutexLock l(mu, AdoptLock{});`).
  MutexLock(Mutex& mu, AdoptLock) REQUIRES(mu) : mu_(mu) {}
  ~MutexLock() RELEASE() { mu_.Unlock(); }
  MutexLock(const MutexLock&) = delete;
  MutexLock& operator=(const MutexLock&) = delete;

  // Releases the mutex while blocked on `cv`, holds it again on return (spurious wake-ups
  // possible). A predicate reading guarded members is written `[&]() REQUIRES(mu_) {...}`.
  void Wait(std::condition_variable& cv) NO_THREAD_SAFETY_ANALYSIS {
    std::unique_lock<std::mutex> lock(mu_.mu_, std::adopt_lock);
    cv.wait(lock);
    lock.release();
  }
  // Waits until `done()` is true.
  template <typename Predicate>
  void Wait(std::condition_variable& cv, Predicate done) NO_THREAD_SAFETY_ANALYSIS {
    std::unique_lock<std::mutex> lock(mu_.mu_, std::adopt_lock);
    cv.wait(lock, done);
    lock.release();
  }
  // Waits until `done()` or a stop request on `stop`; returns done().
  template <typename Predicate>
  bool Wait(std::condition_variable_any& cv, std::stop_token stop,
            Predicate done) NO_THREAD_SAFETY_ANALYSIS {
    std::unique_lock<std::mutex> lock(mu_.mu_, std::adopt_lock);
    bool result = cv.wait(lock, stop, done);
    lock.release();
    return result;
  }
  // Waits until `done()` or `timeout` has passed; returns done().
  template <typename Rep, typename Period, typename Predicate>
  bool WaitFor(std::condition_variable& cv, std::chrono::duration<Rep, Period> timeout,
               Predicate done) NO_THREAD_SAFETY_ANALYSIS {
    std::unique_lock<std::mutex> lock(mu_.mu_, std::adopt_lock);
    bool result = cv.wait_for(lock, timeout, done);
    lock.release();
    return result;
  }
  // Waits until `done()` or `deadline`; returns done().
  template <typename Clock, typename Duration, typename Predicate>
  bool WaitUntil(std::condition_variable& cv, std::chrono::time_point<Clock, Duration> deadline,
                 Predicate done) NO_THREAD_SAFETY_ANALYSIS {
    std::unique_lock<std::mutex> lock(mu_.mu_, std::adopt_lock);
    bool result = cv.wait_until(lock, deadline, done);
    lock.release();
    return result;
  }

 private:
  Mutex& mu_;
};

// A readers-writer lock (std::shared_mutex).
class CAPABILITY("mutex") SharedMutex {
 public:
  SharedMutex() = default;
  SharedMutex(const SharedMutex&) = delete;
  SharedMutex& operator=(const SharedMutex&) = delete;

  void Lock() ACQUIRE() { mu_.lock(); }
  void Unlock() RELEASE() { mu_.unlock(); }
  void LockShared() ACQUIRE_SHARED() { mu_.lock_shared(); }
  void UnlockShared() RELEASE_SHARED() { mu_.unlock_shared(); }

 private:
  std::shared_mutex mu_;
};

// Holds a SharedMutex exclusively for its lifetime.
class SCOPED_CAPABILITY WriterMutexLock {
 public:
  explicit WriterMutexLock(SharedMutex& mu) ACQUIRE(mu) : mu_(mu) { mu_.Lock(); }
  ~WriterMutexLock() RELEASE() { mu_.Unlock(); }
  WriterMutexLock(const WriterMutexLock&) = delete;
  WriterMutexLock& operator=(const WriterMutexLock&) = delete;

 private:
  SharedMutex& mu_;
};

// Holds a SharedMutex shared (with other readers) for its lifetime.
class SCOPED_CAPABILITY ReaderMutexLock {
 public:
  explicit ReaderMutexLock(SharedMutex& mu) ACQUIRE_SHARED(mu) : mu_(mu) { mu_.LockShared(); }
  ~ReaderMutexLock() RELEASE() { mu_.UnlockShared(); }
  ReaderMutexLock(const ReaderMutexLock&) = delete;
  ReaderMutexLock& operator=(const ReaderMutexLock&) = delete;

 private:
  SharedMutex& mu_;
};

}  // namespace kiln
