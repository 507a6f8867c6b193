// Fetching a registered model's package (source kiln-package:<digest>) through the API into a
// private temporary folder, for `kiln models predict` and `kiln serve`.
#pragma once

#include <cstdint>
#include <string>

#include "cli/api_caller.h"
#include "common/status.h"

namespace kiln::cli {

// A fetched package; its temporary folder is removed when the object goes away. Move-only.
class FetchedPackage {
 public:
  FetchedPackage(std::string root, std::string name, int64_t version)
      : root_(std::move(root)), name_(std::move(name)), version_(version) {}
  FetchedPackage(FetchedPackage&& other) noexcept;
  FetchedPackage& operator=(FetchedPackage&&) = delete;
  FetchedPackage(const FetchedPackage&) = delete;
  ~FetchedPackage();

  std::string dir() const { return root_ + "/package"; }  // the package folder
  const std::string& name() const { return name_; }
  int64_t version() const { return version_; }

 private:
  std::string root_;
  std::string name_;
  int64_t version_;
};

// Resolves `ref` (MODEL@ALIAS, MODEL/VERSION or MODEL@VERSION) and downloads its package.
// Errors: kInvalidArgument (a bad reference, or a version that is no Kiln package), kNotFound
// naming the model, alias or version, and transport errors.
Result<FetchedPackage> FetchModelPackage(ApiCaller& api, const std::string& ref);

}  // namespace kiln::cli
