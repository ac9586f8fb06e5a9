// core/error: the one error type of Bora. Every error carries a kind (what
// sort of failure, which the API maps to an HTTP status in one place) and a
// message that says what was wrong, where, and what to do about it.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>
#include <variant>

namespace bora {

enum class ErrorKind {
  BadInput,      // the caller sent something invalid (400)
  NotFound,      // the named thing does not exist (404)
  Conflict,      // duplicate, or a state that forbids the operation (409)
  Limit,         // a size or count limit was exceeded (413)
  MediaType,     // a body in a media type the operation does not read (415)
  Unauthorized,  // no or bad credentials (401)
  Forbidden,     // credentials fine, operation not allowed (403)
  Unavailable,   // a dependency (database, remote host) did not answer (503)
  Internal,      // a bug or an unexpected failure (500)
};

const char* to_string(ErrorKind kind) noexcept;

struct Error {
  ErrorKind kind = ErrorKind::Internal;
  std::string message;
};

// Thrown only at boundaries (request handlers, CLI commands, engine commands);
// inside modules, expected failures travel as Result<T>.
class BoraError : public std::runtime_error {
 public:
  BoraError(ErrorKind kind, std::string message)
      : std::runtime_error(message), error_{kind, std::move(message)} {}
  explicit BoraError(Error e) : std::runtime_error(e.message), error_(std::move(e)) {}
  ErrorKind kind() const noexcept { return error_.kind; }
  const Error& error() const noexcept { return error_; }

 private:
  Error error_;
};

// A value or an Error; a small stand-in for C++23's std::expected.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}            // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}         // NOLINT
  bool ok() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }
  T& value() & { check(); return std::get<0>(v_); }
  const T& value() const& { check(); return std::get<0>(v_); }
  // By value: `for (x : f().value())` must not iterate a dead temporary.
  T value() && { check(); return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const Error& error() const& { return std::get<1>(v_); }
  Error&& error() && { return std::get<1>(std::move(v_)); }

 private:
  void check() const {
    if (!ok()) throw BoraError(std::get<1>(v_));
  }
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT
  bool ok() const noexcept { return ok_; }
  explicit operator bool() const noexcept { return ok_; }
  const Error& error() const& { return error_; }
  void value() const {
    if (!ok_) throw BoraError(error_);
  }

 private:
  Error error_;
  bool ok_ = true;
};

inline Error bad_input(std::string m) { return {ErrorKind::BadInput, std::move(m)}; }
inline Error not_found(std::string m) { return {ErrorKind::NotFound, std::move(m)}; }
inline Error conflict(std::string m) { return {ErrorKind::Conflict, std::move(m)}; }
inline Error unauthorized(std::string m) { return {ErrorKind::Unauthorized, std::move(m)}; }

}  // namespace bora
