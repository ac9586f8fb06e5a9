// executor/std/email_action: std.email with libcurl's SMTP client. As in
// Mistral, a password means STARTTLS and a login as the sender; the message
// is UTF-8 text, with an HTML alternative when html_body is given.
#include <curl/curl.h>
#include <fmt/format.h>

#include <cstring>
#include <memory>

#include "bora/core/ids.h"
#include "bora/core/python_format.h"
#include "bora/executor/std_actions.h"

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

}  // namespace

ActionResult run_email(const Value& input, const ActionRunContext&) {
  std::string sender = input["from_addr"].is_string() ? input["from_addr"].as_string() : "";
  std::vector<std::string> to = addresses(input["to_addrs"]), cc = addresses(input["cc_addrs"]),
                           bcc = addresses(input["bcc_addrs"]), reply_to = addresses(input["reply_to"]);
  std::string server = input["smtp_server"].is_string() ? input["smtp_server"].as_string() : "";
  if (sender.empty() || to.empty() || server.empty()) {
    return ActionResult::raise("Failed to send an email message: from_addr, to_addrs and smtp_server must be given");
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
  std::string url = "smtp://" + server;
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
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
  if (rc != CURLE_OK) {
    return ActionResult::raise(
        fmt::format("Failed to send an email message: {} (server {})", curl_easy_strerror(rc), server));
  }
  return ActionResult::success(Value());
}

}  // namespace bora::executor
