// Resolving the settings: flags over KILN_* environment variables over the --config file
// (YAML) over the defaults. Every value is checked against its SettingSpec; a mistake names the
// key and where it came from (the flag, the variable, or the file, line and column).
#pragma once

#include <map>
#include <string>

#include "common/status.h"
#include "config/settings.h"

namespace kiln::config {

// What the resolution reads. Keys of `flags` are setting keys ("max_body_mb"), holding only the
// flags given on the command line; `env` holds the process environment (other variables are
// ignored); `file` is the --config path ("" = none).
struct ConfigInputs {
  std::map<std::string, std::string> flags;
  std::map<std::string, std::string> env;
  std::string file;
};

// The environment of this process as a map. Not thread-safe against setenv.
std::map<std::string, std::string> ProcessEnvironment();

// Resolves every setting. "{data}" in a default becomes the resolved data folder made absolute.
// Errors (kInvalidArgument): an unreadable config file ("--config: cannot read 'F': ..."), a
// YAML syntax error ("F:LINE:COL: ..."), a file that is not a mapping of keys to single values,
// an unknown key (naming the closest known one), a value of the wrong kind ("F:LINE:COL: port:
// expected an integer from 0 to 65535, got 'x'", or "KILN_PORT: ..." / "--port: ..."). Reads
// the file; otherwise pure.
Result<Config> ResolveConfig(const ConfigInputs& inputs);

// Checks one value against its spec. Errors: kInvalidArgument "KEY: expected ..., got 'V'".
Status CheckValue(const SettingSpec& spec, const std::string& value);

}  // namespace kiln::config
