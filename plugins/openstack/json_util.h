// plugins/openstack/json_util: the pack's JSON, on RapidJSON (header-only,
// so the pack shares no library state with the server that loads it).
#pragma once

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <string>
#include <string_view>

namespace bora_openstack {

using Json = rapidjson::Value;
using Doc = rapidjson::Document;
using Alloc = rapidjson::Document::AllocatorType;

inline std::string dump(const Json& v) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  v.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

inline Json str(std::string_view s, Alloc& a) { return Json(s.data(), static_cast<rapidjson::SizeType>(s.size()), a); }

// A member, or null when absent (or `v` is not an object).
inline const Json& get(const Json& v, std::string_view key) {
  static const Json null;
  if (!v.IsObject()) return null;
  auto it = v.FindMember(Json(rapidjson::StringRef(key.data(), key.size())));
  return it == v.MemberEnd() ? null : it->value;
}

inline std::string text(const Json& v, std::string_view fallback = "") {
  return v.IsString() ? std::string(v.GetString(), v.GetStringLength()) : std::string(fallback);
}

inline bool truthy(const Json& v) {
  if (v.IsNull()) return false;
  if (v.IsBool()) return v.GetBool();
  if (v.IsString()) return v.GetStringLength() > 0;
  if (v.IsNumber()) return v.GetDouble() != 0;
  if (v.IsArray()) return !v.Empty();
  if (v.IsObject()) return v.MemberCount() > 0;
  return false;
}

// How Python's str() shows a scalar (query strings, messages).
std::string python_str(const Json& v);
// How Python's repr() shows a value (find's "No Server matching {...}").
std::string python_repr(const Json& v);

// The id a python client takes from a parameter: a string as it is, a
// resource dict's "id" (clients accept objects or ids), a number's text.
std::string id_of(const Json& v);

}  // namespace bora_openstack
