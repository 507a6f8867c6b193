// The web UI's routes: the built app's files for every GET or HEAD no API route takes,
// index.html for client-side routes, and a "not built" page when there is no app.
#pragma once

#include <string>
#include <string_view>

#include "http/router.h"

namespace kiln::api {

// True for paths the APIs own ("/api/", "/ajax-api/", "/serve/", "/v2/", "/metrics", and
// MLflow's "/get-artifact" and "/model-versions/get-artifact"): unknown ones there keep their
// JSON 404 and never get the UI.
bool IsApiPath(std::string_view path);

// True when `dir` holds the built UI (an index.html).
bool HasWebUi(const std::string& dir);

// The router fallback serving the UI in `dir` (read from disk per request, so a rebuild
// shows without a restart). Files under /assets/ are cached for good (their names carry a
// hash), index.html is revalidated. Unsafe paths get 400, missing /assets/ files 404, any
// other path index.html; without index.html every UI path gets the "not built" page.
// Other methods and API paths get the router's 404. Thread-safe.
http::Handler WebUiHandler(const std::string& dir);

}  // namespace kiln::api
