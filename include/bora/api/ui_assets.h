// api/ui_assets: the web UI's files (web/, built by Vite), compiled into the
// binary by scripts/embed_ui.py; served at /ui/ (api/resources.h,
// register_ui_resource). Empty when the binary was built with
// BORA_WITH_UI=OFF.
#pragma once

#include <span>
#include <string_view>

namespace bora::api {

struct UiAsset {
  std::string_view path;          // "index.html", "assets/index-3f2a.js"
  std::string_view content_type;  // "text/javascript; charset=utf-8"
  std::string_view etag;          // a quoted hash of body
  std::string_view body;
  std::string_view gzip;  // body gzipped, or empty when that is not smaller
  bool immutable = false;  // named after its content: cacheable for good
};

std::span<const UiAsset> ui_assets();

}  // namespace bora::api
