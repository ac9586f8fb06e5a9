// executor/javascript/heap: one duktape heap for one run of JavaScript
// (std.javascript, a dynamic action, the check of a code source). Each run
// gets a fresh heap, so nothing leaks from one action into the next, and
// the heap is capped: a runaway allocation fails the action, not the
// process. duktape.h stays inside src/executor/javascript.
#pragma once

#include <duktape.h>

#include <cstddef>
#include <string>

namespace bora::executor::javascript {

class Heap {
 public:
  Heap();
  ~Heap();
  Heap(const Heap&) = delete;
  Heap& operator=(const Heap&) = delete;

  duk_context* context() const { return ctx_; }
  explicit operator bool() const { return ctx_ != nullptr; }

  // What a script may allocate at most ([executor] javascript_heap_mb,
  // read when the heap is made).
  size_t limit;
  size_t used = 0;
  // True once an allocation was refused for the limit: the script's
  // "alloc failed" error is then explained by naming the option.
  bool refused = false;

 private:
  duk_context* ctx_ = nullptr;
};

// The text of the error on top of the stack: "TypeError: x is undefined",
// followed by " (file:line)" when duktape knows where it was thrown.
std::string error_text(duk_context* ctx, duk_idx_t index);

// What to add to a script's error when its heap refused an allocation: the
// limit and the option; empty otherwise.
std::string heap_limit_note(const Heap& heap);

}  // namespace bora::executor::javascript
