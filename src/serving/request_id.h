// Request ids of the serving request log.
#pragma once

#include <cstdint>
#include <string>

namespace kiln::serving {

// A new request id: 26 lowercase characters of Crockford base32 (URL-safe), ordered by time
// as strings. The first 10 characters are the wall clock in milliseconds, then 8 of a random
// prefix drawn once per process and again in a forked child (so ids differ across restarts
// and processes), then 8 of a per-process atomic counter (so ids differ across threads). Costs one
// clock read and one atomic increment; no allocation beyond the returned string's, no syscall.
// Thread-safe.
std::string NewRequestId();

// Whether `id` is a usable request id: 1 to 128 characters of [A-Za-z0-9._~-] (URL-safe
// without escaping). NewRequestId() always satisfies it. Thread-safe.
bool IsValidRequestId(const std::string& id);

}  // namespace kiln::serving
