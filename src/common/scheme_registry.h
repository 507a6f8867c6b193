// Choosing the implementation of a seam from a URI at start-up: a registry of schemes
// ("sqlite", "file"; later "postgresql", "s3") and what opens each, so a new implementation is
// one registration and no caller changes.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <utility>

#include "common/status.h"

namespace kiln {

// "scheme" and the rest after "scheme://" of `uri`. Errors: kInvalidArgument when `uri` has no
// "://" or an empty scheme.
Result<std::pair<std::string, std::string>> SplitUri(const std::string& uri);

// The registry of one seam. Filled once at start-up (not thread-safe to Add while opening);
// Check and Open are then thread-safe.
template <typename T>
class SchemeRegistry {
 public:
  // Opens the implementation at the part of the URI after "scheme://".
  using Opener = std::function<Result<T>(const std::string& rest)>;
  // Checks that part without opening anything (kInvalidArgument saying what is wrong).
  using Checker = std::function<Status(const std::string& rest)>;

  // `what` names the seam in messages ("metadata store").
  explicit SchemeRegistry(std::string what) : what_(std::move(what)) {}

  void Add(const std::string& scheme, Checker checker, Opener opener) {
    entries_[scheme] = {std::move(checker), std::move(opener)};
  }

  // OK when `uri` is well formed, its scheme is registered and the scheme's checker accepts the
  // rest. Errors: kInvalidArgument naming the scheme and the known ones, or the checker's.
  Status Check(const std::string& uri) const {
    KILN_ASSIGN_OR_RETURN(auto found, Find(uri));
    return found.first->checker(found.second);
  }

  // Opens `uri`. Errors: as Check, then whatever the scheme's opener returns.
  Result<T> Open(const std::string& uri) const {
    KILN_ASSIGN_OR_RETURN(auto found, Find(uri));
    KILN_RETURN_IF_ERROR(found.first->checker(found.second));
    return found.first->opener(found.second);
  }

 private:
  struct Entry {
    Checker checker;
    Opener opener;
  };

  Result<std::pair<const Entry*, std::string>> Find(const std::string& uri) const {
    KILN_ASSIGN_OR_RETURN(auto parts, SplitUri(uri));
    const auto entry = entries_.find(parts.first);
    if (entry == entries_.end()) {
      std::string known;
      for (const auto& [scheme, unused] : entries_) known += (known.empty() ? "" : ", ") + scheme;
      return InvalidArgument("unknown " + what_ + " scheme '" + parts.first + "' in '" + uri +
                             "' (known: " + known + ")");
    }
    return std::make_pair(&entry->second, parts.second);
  }

  std::string what_;
  std::map<std::string, Entry> entries_;
};

}  // namespace kiln
