#include "bora/api/content_negotiation.h"

#include <algorithm>
#include <cstring>
#include <string_view>

#include "bora/core/json.h"

namespace bora::api {

namespace {

// One media range of an Accept header (RFC 7231 5.3.2), as webob keeps it.
struct MediaRange {
  std::string type;  // "type/subtype", lower-cased
  double q = 1.0;
  bool has_params = false;  // a range with media type parameters matches only offers with the same ones
};

// webob's reading of an Accept header: its regex (RFC 7231's grammar with
// RFC 7230's #rule list), whose failure makes the header invalid. The
// grammar is written as a parser; at each choice the regex's backtracking
// can take only the path taken here, so the two agree on every header.
class AcceptParser {
 public:
  explicit AcceptParser(std::string_view s) : s_(s) {}

  // The ranges, or nullopt for an invalid header.
  std::optional<std::vector<MediaRange>> parse() {
    std::vector<MediaRange> out;
    if (s_.empty()) return out;
    // #element => [ ( "," / element ) *( OWS "," [ OWS element ] ) ]
    if (s_[0] == ',') {
      ++i_;
    } else {
      MediaRange r;
      if (!element(r)) return std::nullopt;
      out.push_back(std::move(r));
    }
    while (i_ < s_.size()) {
      ows();
      if (!eat(',')) return std::nullopt;
      size_t before = i_;
      ows();
      MediaRange r;
      if (element(r)) out.push_back(std::move(r));
      else i_ = before;
    }
    return out;
  }

 private:
  static bool tchar(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c != '\0' && std::strchr("!#$%&'*+-.^_`|~", c) != nullptr);
  }
  void ows() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t')) ++i_;
  }
  bool eat(char c) {
    if (i_ >= s_.size() || s_[i_] != c) return false;
    ++i_;
    return true;
  }
  bool token(std::string* out = nullptr) {
    size_t start = i_;
    while (i_ < s_.size() && tchar(s_[i_])) ++i_;
    if (out) *out = std::string(s_.substr(start, i_ - start));
    return i_ > start;
  }
  // quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE
  bool quoted() {
    size_t start = i_;
    if (!eat('"')) return false;
    while (i_ < s_.size()) {
      auto c = static_cast<unsigned char>(s_[i_]);
      if (c == '"') {
        ++i_;
        return true;
      }
      if (c == '\\') {
        if (i_ + 1 >= s_.size()) break;
        auto n = static_cast<unsigned char>(s_[i_ + 1]);
        if (!(n == '\t' || n == ' ' || (n >= 0x21 && n <= 0x7e) || n >= 0x80)) break;
        i_ += 2;
        continue;
      }
      if (c == '\t' || c == ' ' || c == 0x21 || (c >= 0x23 && c <= 0x5b) || (c >= 0x5d && c <= 0x7e) || c >= 0x80) {
        ++i_;
        continue;
      }
      break;
    }
    i_ = start;
    return false;
  }
  bool q_next() const { return i_ + 1 < s_.size() && (s_[i_] == 'q' || s_[i_] == 'Q') && s_[i_ + 1] == '='; }
  // qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )
  bool qvalue(double& q) {
    size_t start = i_;
    if (i_ >= s_.size() || (s_[i_] != '0' && s_[i_] != '1')) return false;
    bool one = s_[i_] == '1';
    ++i_;
    if (eat('.')) {
      for (int k = 0; k < 3 && i_ < s_.size() && (one ? s_[i_] == '0' : (s_[i_] >= '0' && s_[i_] <= '9')); ++k) ++i_;
    }
    q = std::stod(std::string(s_.substr(start, i_ - start)));
    return true;
  }
  // One `OWS ";" OWS token "=" value` after a media range: a parameter =
  // token "=" ( token / quoted-string ), not named q; or (parameter false)
  // an accept-ext = token [ "=" ( token / quoted-string ) ]. Nothing is
  // taken when it does not fit.
  bool semicolon_pair(bool parameter) {
    size_t before = i_;
    ows();
    if (!eat(';')) {
      i_ = before;
      return false;
    }
    ows();
    if ((parameter && q_next()) || !token()) {
      i_ = before;
      return false;
    }
    size_t value = i_;
    if (!eat('=') || (!token() && !quoted())) {
      if (parameter) {
        i_ = before;
        return false;
      }
      i_ = value;
    }
    return true;
  }
  // media-range *( OWS ";" OWS parameter ) [ weight *( accept-ext ) ]
  bool element(MediaRange& r) {
    size_t start = i_;
    std::string type, subtype;
    if (!token(&type) || !eat('/') || !token(&subtype)) {
      i_ = start;
      return false;
    }
    r.type = type + "/" + subtype;
    std::transform(r.type.begin(), r.type.end(), r.type.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    while (semicolon_pair(/*parameter=*/true)) r.has_params = true;
    size_t before = i_;
    ows();
    if (eat(';')) {
      ows();
      double q = 1.0;
      if (q_next()) {
        i_ += 2;
        if (qvalue(q)) {
          r.q = q;
          while (semicolon_pair(/*parameter=*/false)) {
          }
          return true;
        }
      }
    }
    i_ = before;
    return true;
  }

  std::string_view s_;
  size_t i_ = 0;
};

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// The request's Accept as pecan reads it (req.accept.header_value or
// '*/*'): a missing or empty header is */*.
std::string pecan_accept(const Request& request) {
  const std::string* h = request.header("accept");
  return h && !h->empty() ? *h : "*/*";
}

// A header value as WSGI hands it to Python: its bytes read as Latin-1
// (what webob then writes back in UTF-8).
std::string latin1_text(std::string_view bytes) {
  std::string out;
  for (char ch : bytes) {
    auto c = static_cast<unsigned char>(ch);
    if (c < 0x80) {
      out += ch;
    } else {
      out += static_cast<char>(0xc0 | (c >> 6));
      out += static_cast<char>(0x80 | (c & 0x3f));
    }
  }
  return out;
}

// webob.util.html_escape: html.escape(s, quote=True), then non-ASCII as
// &#N; (s is Latin-1 text here, one character per byte).
std::string html_escape_latin1(std::string_view bytes) {
  std::string out;
  for (char ch : bytes) {
    auto c = static_cast<unsigned char>(ch);
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#x27;"; break;
      default:
        if (c >= 0x80) out += "&#" + std::to_string(c) + ";";
        else out += ch;
    }
  }
  return out;
}

// webob.exc.strip_tags, for the plain-text page: newlines become spaces,
// <br ...> a newline, comment marks and other tags go (three passes, as
// its three regexes).
std::string strip_tags(const std::string& text) {
  std::string s;
  for (char c : text) {
    if (c == '\n') s += ' ';
    else if (c != '\r') s += c;
  }
  auto lower = [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); };
  std::string out;
  for (size_t i = 0; i < s.size();) {  // <br.*?> (any case)
    size_t close;
    if (s[i] == '<' && i + 2 < s.size() && lower(s[i + 1]) == 'b' && lower(s[i + 2]) == 'r' &&
        (close = s.find('>', i + 3)) != std::string::npos) {
      out += '\n';
      i = close + 1;
    } else {
      out += s[i++];
    }
  }
  s.swap(out);
  out.clear();
  for (size_t i = 0; i < s.size();) {  // <!-- and -->
    if (s.compare(i, 4, "<!--") == 0) i += 4;
    else if (s.compare(i, 3, "-->") == 0) i += 3;
    else out += s[i++];
  }
  s.swap(out);
  out.clear();
  for (size_t i = 0; i < s.size();) {  // <.*?>
    size_t close;
    if (s[i] == '<' && (close = s.find('>', i + 1)) != std::string::npos) i = close + 1;
    else out += s[i++];
  }
  return out;
}

const char* status_title(int status) {
  switch (status) {
    case 302: return "Found";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    default: return "Error";
  }
}

}  // namespace

std::vector<std::string> acceptable_offers(const std::string* accept, const std::vector<std::string>& offers) {
  std::optional<std::vector<MediaRange>> ranges;
  if (accept) ranges = AcceptParser(*accept).parse();
  if (!ranges) return offers;  // no header, or one webob cannot read: every offer
  struct Match {
    double q;
    size_t index;
    int specificity;
  };
  std::vector<std::pair<std::string, Match>> found;
  for (size_t index = 0; index < offers.size(); ++index) {
    const std::string& offer = offers[index];
    std::string_view offer_type = std::string_view(offer).substr(0, offer.find('/'));
    std::optional<Match> best;
    for (const MediaRange& r : *ranges) {
      int specificity;
      std::string_view range_type = std::string_view(r.type).substr(0, r.type.find('/'));
      std::string_view range_subtype = std::string_view(r.type).substr(r.type.find('/') + 1);
      if (r.type == offer) {
        if (r.has_params) continue;  // the offers have no parameters
        specificity = 3;
      } else if (range_subtype == "*" && range_type == offer_type) {
        specificity = 2;
      } else if (r.type == "*/*") {
        specificity = 1;
      } else {
        continue;
      }
      // The most specific range decides; among equals, the first.
      if (best && specificity <= best->specificity) continue;
      best = Match{r.q, index, specificity};
    }
    if (best && best->q != 0) found.emplace_back(offer, *best);
  }
  std::stable_sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.second.q > b.second.q; });
  std::vector<std::string> out;
  for (auto& [offer, match] : found) out.push_back(offer);
  return out;
}

std::optional<std::string> negotiate(const Request& request, Produces produces) {
  if (produces == Produces::Own) return std::string();
  // In the order the controllers are exposed (WSME: XML first).
  static const std::vector<std::string> wsme = {"application/xml", "text/xml", "application/json"};
  static const std::vector<std::string> text = {"text/plain"};
  static const std::vector<std::string> json = {"application/json"};
  const std::vector<std::string>& types =
      produces == Produces::Wsme ? wsme : produces == Produces::PecanText ? text : json;
  // The type pecan falls back on is the one exposed last.
  const std::string& fallback = types.back();
  std::string accept = pecan_accept(request);
  // A browser's Accept on a controller exposed as text/plain alone takes
  // its type (pecan's SIMPLEST_CONTENT_TYPES).
  if (accept == "*/*" || (starts_with(accept, "text/html,") && produces == Produces::PecanText)) return fallback;
  std::vector<std::string> offers = acceptable_offers(&accept, types);
  if (!offers.empty()) return offers.front();
  // pecan then takes a type the raw header starts with, parameters and all
  // ("application/json;q=0" is JSON).
  for (const std::string& t : types)
    if (starts_with(accept, t)) return t;
  return std::nullopt;
}

Response pecan_http_error(const Request& request, int status, const Value& description, const std::string& location) {
  Response r;
  r.status = status;
  if (status == 302) r.headers.emplace_back("Location", location);
  const std::string title = status_title(status);
  // pecan answers JSON when the client's best of these is JSON.
  std::string accept = pecan_accept(request);
  std::vector<std::string> pecan_best = acceptable_offers(&accept, {"text/plain", "text/html", "application/json"});
  if (!pecan_best.empty() && pecan_best.front() == "application/json") {
    r.body = to_json(Value::dict({{"code", Value(int64_t(status))}, {"title", Value(title)}, {"description", description}}),
                     JsonFormat::python());
    return r;
  }
  // Else webob renders the exception itself, as Accept (read as it came,
  // none being an empty header) prefers: HTML, JSON or plain text.
  const std::string* header = request.header("accept");
  std::string raw = header ? *header : "";
  std::vector<std::string> webob_best = acceptable_offers(&raw, {"text/html", "application/json"});
  std::string form = webob_best.empty() ? "text/plain" : webob_best.front();
  bool html = form == "text/html";
  auto escaped = [&](std::string_view s) { return html ? html_escape_latin1(s) : latin1_text(s); };
  std::string detail = description.is_string() ? escaped(description.as_string()) : std::string();
  // The exception's body template, with its variables.
  std::string body;
  switch (status) {
    case 302: {
      std::string at = escaped(location);
      body = "The resource was found at <a href=\"" + at + "\">" + at + "</a>;\nyou should be redirected automatically.\n" +
             detail + "\n";
      break;
    }
    case 405:
      body = "The method " + request.method + " is not allowed for this resource. <br /><br />\n" + detail;
      break;
    case 406:
      body = "The resource could not be generated that was acceptable to your browser\n(content of type " +
             (header ? escaped(*header) : std::string("${HTTP_ACCEPT}")) + ". <br /><br />\n" + detail;
      break;
    default:
      body = "The resource could not be found.<br /><br />\n" + detail + "\n\n";
      break;
  }
  const std::string status_line = std::to_string(status) + " " + title;
  if (request.method == "HEAD") {
    // webob answers a HEAD with the exception's own headers (no page is
    // rendered), which carry its default type.
    r.content_type = "text/html; charset=UTF-8";
    r.body.clear();
    return r;
  }
  if (html) {
    r.content_type = "text/html; charset=UTF-8";
    r.body = "<html>\n <head>\n  <title>" + status_line + "</title>\n </head>\n <body>\n  <h1>" + status_line +
             "</h1>\n  " + body + "\n </body>\n</html>";
  } else if (form == "application/json") {
    r.body = to_json(Value::dict({{"message", Value(body)}, {"code", Value(status_line)}, {"title", Value(title)}}),
                     JsonFormat::python());
  } else {
    r.content_type = "text/plain; charset=UTF-8";
    r.body = status_line + "\n\n" + strip_tags(body);
  }
  return r;
}

}  // namespace bora::api
