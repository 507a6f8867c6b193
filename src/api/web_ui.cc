#include "api/web_ui.h"

#include <array>
#include <filesystem>
#include <memory>
#include <system_error>

#include "api/error_mapping.h"
#include "http/static_files.h"

namespace kiln::api {
namespace {

constexpr std::array<std::string_view, 5> kApiPrefixes{"/api/", "/ajax-api/", "/serve/", "/v2/",
                                                       "/metrics"};
// MLflow's UI fetches artifacts from these; a client probing for them must not get HTML.
constexpr std::array<std::string_view, 2> kApiPaths{"/get-artifact",
                                                    "/model-versions/get-artifact"};

constexpr std::string_view kNotBuiltPage = R"(<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Kiln</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 3em auto">
<h1>Kiln</h1>
<p>The web UI is not built. Build it from the source checkout with</p>
<pre>cd web &amp;&amp; npm ci &amp;&amp; npm run build</pre>
<p>and restart the server, or point it at a built UI with <code>kiln server --ui-dir DIR</code>.
The APIs under <code>/api/v1/</code> work without it.</p>
</body>
</html>
)";

// What the built UI needs and no more: its own scripts, styles and API; inline styles (React
// and the chart and graph libraries set them); images from data: and blob: URLs (stored
// images are shown through object URLs). Everything else the default policy forbids.
constexpr std::string_view kUiCsp =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

http::Response NotBuiltPage() {
  http::Response response;
  response.content_type = "text/html; charset=utf-8";
  response.body = std::string(kNotBuiltPage);
  response.headers.emplace_back("Cache-Control", "no-cache");
  response.headers.emplace_back("Content-Security-Policy", std::string(kUiCsp));
  return response;
}

http::Response FileResponse(const http::StaticFile& file, bool immutable) {
  http::Response response;
  response.content_type = file.content_type;
  response.file_path = file.path;
  response.headers.emplace_back("Cache-Control",
                                immutable ? "public, max-age=31536000, immutable" : "no-cache");
  response.headers.emplace_back("Content-Security-Policy", std::string(kUiCsp));
  return response;
}

http::Response ServeUi(const http::StaticFiles& files, const http::Request& request) {
  Result<http::StaticFile> index = files.Resolve("/index.html");
  if (!index.ok()) return NotBuiltPage();
  Result<http::StaticFile> file = files.Resolve(request.path);
  if (file.ok()) return FileResponse(*file, request.path.starts_with("/assets/"));
  if (file.status().code() == StatusCode::kInvalidArgument) return ErrorResponse(file.status());
  // A missing hashed asset is a stale page asking for an old build: HTML would not help it.
  if (request.path.starts_with("/assets/")) return ErrorResponse(NotFound("No such file"));
  // Client-side routes ("/pipelines/iris") are the app's to draw.
  return FileResponse(*index, false);
}

}  // namespace

bool IsApiPath(std::string_view path) {
  for (std::string_view api_path : kApiPaths) {
    if (path == api_path) return true;
  }
  for (std::string_view prefix : kApiPrefixes) {
    if (path.starts_with(prefix)) return true;
    // "/api" and "/metrics" themselves, without the trailing slash.
    if (prefix.back() == '/' && path == prefix.substr(0, prefix.size() - 1)) return true;
  }
  return false;
}

bool HasWebUi(const std::string& dir) {
  std::error_code ec;
  return !dir.empty() && std::filesystem::is_regular_file(dir + "/index.html", ec);
}

http::Handler WebUiHandler(const std::string& dir) {
  auto files = std::make_shared<const http::StaticFiles>(dir);
  return [files](http::Request& request) {
    if (IsApiPath(request.path) || (request.method != "GET" && request.method != "HEAD")) {
      return http::NotFoundResponse(request);
    }
    return ServeUi(*files, request);
  };
}

}  // namespace kiln::api
