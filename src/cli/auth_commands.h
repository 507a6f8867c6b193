// `kiln users add|ls|disable|reset-password`, `kiln tokens create|ls|revoke` and `kiln projects
// add|ls|show|members|add-member|set-role|remove-member`: local
// administration of who may use a server, over the data folder (--data, --store, --config) in
// this process, beside a running server or not: the root of trust is access to the data folder.
// Each command prints to stdout, errors to stderr, and exits 0, 2 for the user's mistakes (a bad
// or taken name, an unknown user or token, a bad role or duration, a short password) or 1.
#pragma once

namespace CLI {
class App;
}  // namespace CLI

namespace kiln::cli {

// Registers the `users` command group on `app`; the command that runs stores its exit code in
// `rc`, which must outlive parsing. Not thread-safe (CLI setup).
void AddUserCommands(CLI::App& app, int& rc);
// Registers the `tokens` command group on `app`, as AddUserCommands.
void AddTokenCommands(CLI::App& app, int& rc);
// Registers the `projects` command group on `app`, as AddUserCommands.
void AddProjectCommands(CLI::App& app, int& rc);

}  // namespace kiln::cli
