// executor/std/email_action: std.email with libcurl's SMTP client. As in
// Mistral, a password means STARTTLS and a login as the sender; the message
// is UTF-8 text, with an HTML alternative when html_body is given.
// smtp_server is host[:port] (Mistral hands it to smtplib.SMTP), or, as
// Bora's addition, smtp://host[:port] or smtps://host[:port] (TLS from the
// first byte); nothing else reaches libcurl's URL parser, and the
// connection obeys the operator's reach limits (executor/reach).
#include <curl/curl.h>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <memory>

#include "bora/core/ids.h"
#include "bora/core/python_format.h"
#include "bora/executor/std_actions.h"
#include "curl_reach.h"

namespace bora::executor {

namespace {

std::string base64(const std::string& in) {
  static const char* t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    unsigned n = (unsigned char)in[i] << 16 | (unsigned char)in[i + 1] << 8 | (unsigned char)in[i + 2];
    out += {t[n >> 18], t[(n >> 12) & 63], t[(n >> 6) & 63], t[n & 63]};
  }
  if (i + 1 == in.size()) {
    unsigned n = (unsigned char)in[i] << 16;
    out += {t[n >> 18], t[(n >> 12) & 63], '=', '='};
  } else if (i + 2 == in.size()) {
    unsigned n = (unsigned char)in[i] << 16 | (unsigned char)in[i + 1] << 8;
    out += {t[n >> 18], t[(n >> 12) & 63], t[(n >> 6) & 63], '='};
  }
  return out;
}

// Lines of at most 76 characters, as MIME wants.
std::string wrapped_base64(const std::string& in) {
  std::string b = base64(in), out;
  for (size_t i = 0; i < b.size(); i += 76) out += b.substr(i, 76) + "\r\n";
  return out;
}

std::string encoded_header(const std::string& text) { return "=?utf-8?b?" + base64(text) + "?="; }

std::vector<std::string> addresses(const Value& v) {
  std::vector<std::string> out;
  if (v.is_string()) {
    if (!v.as_string().empty()) out.push_back(v.as_string());
  } else if (v.is_list()) {
    for (const auto& a : v.as_list()) out.push_back(a.is_string() ? a.as_string() : python_str(a));
  }
  return out;
}

std::string joined(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

std::string text_part(const std::string& subtype, const std::string& body) {
  return "Content-Type: text/" + subtype + "; charset=\"utf-8\"\r\nMIME-Version: 1.0\r\n"
         "Content-Transfer-Encoding: base64\r\n\r\n" + wrapped_base64(body);
}

struct Upload {
  std::string data;
  size_t pos = 0;
};

size_t read_upload(char* buf, size_t size, size_t n, void* user) {
  auto* u = static_cast<Upload*>(user);
  size_t len = std::min(size * n, u->data.size() - u->pos);
  std::memcpy(buf, u->data.data() + u->pos, len);
  u->pos += len;
  return len;
}

// "smtp://host:port" from smtp_server, or why it is not a server address.
// Only a host name, an IPv4 address or a bracketed IPv6 address and a port:
// no user, path, query or other scheme can ride along into the URL.
Result<std::string> smtp_url(const std::string& server) {
  auto bad = [&](const std::string& why) {
    return bad_input(fmt::format("std.email: smtp_server '{}' {}; write host, host:port, [IPv6]:port, or "
                                 "smtp://host:port or smtps://host:port",
                                 server, why));
  };
  std::string scheme = "smtp", rest = server;
  if (size_t sep = server.find("://"); sep != std::string::npos) {
    scheme = server.substr(0, sep);
    std::transform(scheme.begin(), scheme.end(), scheme.begin(), ::tolower);
    if (scheme != "smtp" && scheme != "smtps") return bad("names a scheme other than smtp or smtps");
    rest = server.substr(sep + 3);
  }
  std::string host = rest, port;
  if (!rest.empty() && rest.front() == '[') {
    size_t close = rest.find(']');
    if (close == std::string::npos) return bad("has an unclosed '['");
    host = rest.substr(0, close + 1);
    if (close + 1 < rest.size()) {
      if (rest[close + 1] != ':') return bad("has text after the IPv6 address");
      port = rest.substr(close + 2);
    }
    for (char c : host.substr(1, host.size() - 2))
      if (!std::isxdigit(static_cast<unsigned char>(c)) && c != ':' && c != '.') return bad("is not an IPv6 address");
  } else {
    size_t colon = rest.find(':');
    if (colon != std::string::npos) {
      host = rest.substr(0, colon);
      port = rest.substr(colon + 1);
    }
    for (char c : host)
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '.' && c != '_')
        return bad("is not a host name or address");
  }
  if (host.empty() || host == "[]") return bad("names no host");
  if (rest.size() > host.size() || !port.empty()) {
    bool digits = !port.empty() && port.size() <= 5 &&
                  std::all_of(port.begin(), port.end(), [](unsigned char c) { return std::isdigit(c); });
    if (!digits || std::stoi(port) < 1 || std::stoi(port) > 65535) return bad("has a port that is not 1..65535");
  }
  return scheme + "://" + host + (port.empty() ? "" : ":" + port);
}

}  // namespace

ActionResult run_email(const Value& input, const ActionRunContext&) {
  std::string sender = input["from_addr"].is_string() ? input["from_addr"].as_string() : "";
  std::vector<std::string> to = addresses(input["to_addrs"]), cc = addresses(input["cc_addrs"]),
                           bcc = addresses(input["bcc_addrs"]), reply_to = addresses(input["reply_to"]);
  std::string server = input["smtp_server"].is_string() ? input["smtp_server"].as_string() : "";
  if (sender.empty() || to.empty() || server.empty()) {
    return ActionResult::raise("Failed to send an email message: from_addr, to_addrs and smtp_server must be given");
  }
  // An address goes into an SMTP command and a header line as it is: a line
  // break in it would let a workflow add commands or headers of its own.
  for (const auto* list : {&to, &cc, &bcc, &reply_to}) {
    for (const auto& a : *list) {
      if (a.find_first_of(std::string_view("\r\n\0<>", 5)) != std::string::npos) {
        return ActionResult::raise("Failed to send an email message: the address '" + python_str(Value(a)) +
                                   "' holds a line break, NUL or angle bracket; give plain addresses such as "
                                   "'ops@example.com'");
      }
    }
  }
  if (sender.find_first_of(std::string_view("\r\n\0<>", 5)) != std::string::npos) {
    return ActionResult::raise("Failed to send an email message: from_addr '" + python_str(Value(sender)) +
                               "' holds a line break, NUL or angle bracket; give a plain address");
  }
  std::string subject = input["subject"].truthy() ? python_str(input["subject"]) : "<No subject>";
  std::string body = input["body"].truthy() ? python_str(input["body"]) : "<No body>";

  std::string headers = "Subject: " + encoded_header(subject) + "\r\nFrom: " + sender +
                        "\r\nReply-To: " + encoded_header(joined(reply_to)) + "\r\nTo: " + joined(to) + "\r\n";
  if (!cc.empty()) headers += "cc: " + joined(cc) + "\r\n";
  Upload upload;
  if (!input["html_body"].truthy()) {
    upload.data = headers + text_part("plain", body);
  } else {
    std::string boundary = "===============" + generate_uuid() + "==";
    upload.data = headers + "Content-Type: multipart/alternative; boundary=\"" + boundary +
                  "\"\r\nMIME-Version: 1.0\r\n\r\n--" + boundary + "\r\n" + text_part("plain", body) + "--" +
                  boundary + "\r\n" + text_part("html", python_str(input["html_body"])) + "--" + boundary +
                  "--\r\n";
  }

  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return ActionResult::raise("Failed to send an email message: libcurl could not start");
  CURL* h = curl.get();
  auto url = smtp_url(server);
  if (!url) return ActionResult::raise(url.error().message);
  CurlReach reach;
  restrict_curl(h, "smtp,smtps", reach);
  curl_easy_setopt(h, CURLOPT_URL, url->c_str());
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_MAIL_FROM, ("<" + sender + ">").c_str());
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> rcpt(nullptr, curl_slist_free_all);
  for (const auto* list : {&cc, &bcc, &to}) {
    for (const auto& a : *list) {
      curl_slist* grown = curl_slist_append(rcpt.get(), ("<" + a + ">").c_str());
      rcpt.release();
      rcpt.reset(grown);
    }
  }
  curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt.get());
  std::string password;
  if (!input["smtp_password"].is_null()) {
    password = python_str(input["smtp_password"]);
    curl_easy_setopt(h, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
    curl_easy_setopt(h, CURLOPT_USERNAME, sender.c_str());
    curl_easy_setopt(h, CURLOPT_PASSWORD, password.c_str());
  }
  curl_easy_setopt(h, CURLOPT_READFUNCTION, read_upload);
  curl_easy_setopt(h, CURLOPT_READDATA, &upload);
  curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, 30000L);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 300000L);
  CURLcode rc = curl_easy_perform(h);
  if (rc != CURLE_OK && !reach.refused.empty()) {
    return ActionResult::raise(fmt::format("std.email may not connect to smtp_server '{}': {} (see docs/SECURITY.md)",
                                           server, reach.refused));
  }
  if (rc != CURLE_OK) {
    return ActionResult::raise(
        fmt::format("Failed to send an email message: {} (server {})", curl_easy_strerror(rc), server));
  }
  return ActionResult::success(Value());
}

}  // namespace bora::executor
