#include "heap.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <fmt/format.h>

#include "bora/executor/action_limits.h"

namespace bora::executor::javascript {

namespace {

// Each block carries its size in front so that the limit can be kept.
constexpr size_t kHeader = sizeof(max_align_t);

void* heap_alloc(void* udata, duk_size_t size) {
  auto* heap = static_cast<Heap*>(udata);
  if (heap->used + size > heap->limit) {
    heap->refused = true;
    return nullptr;
  }
  auto* p = static_cast<size_t*>(std::malloc(size + kHeader));
  if (!p) return nullptr;
  *p = size;
  heap->used += size;
  return reinterpret_cast<char*>(p) + kHeader;
}

void heap_free(void* udata, void* ptr) {
  if (!ptr) return;
  auto* heap = static_cast<Heap*>(udata);
  auto* base = reinterpret_cast<size_t*>(static_cast<char*>(ptr) - kHeader);
  heap->used -= *base;
  std::free(base);
}

void* heap_realloc(void* udata, void* ptr, duk_size_t size) {
  if (!ptr) return heap_alloc(udata, size);
  if (size == 0) {
    heap_free(udata, ptr);
    return nullptr;
  }
  auto* heap = static_cast<Heap*>(udata);
  auto* base = reinterpret_cast<size_t*>(static_cast<char*>(ptr) - kHeader);
  size_t old = *base;
  if (heap->used - old + size > heap->limit) {
    heap->refused = true;
    return nullptr;
  }
  auto* grown = static_cast<size_t*>(std::realloc(base, size + kHeader));
  if (!grown) return nullptr;
  *grown = size;
  heap->used = heap->used - old + size;
  return reinterpret_cast<char*>(grown) + kHeader;
}

void on_fatal(void*, const char* msg) {
  // duktape calls this only for errors outside any protected call, which
  // Bora never makes; abort with a message rather than continue.
  std::fprintf(stderr, "duktape fatal error: %s\n", msg ? msg : "?");
  std::abort();
}

}  // namespace

Heap::Heap() : limit(action_limits().javascript_heap_bytes) {
  ctx_ = duk_create_heap(heap_alloc, heap_realloc, heap_free, this, on_fatal);
}

std::string heap_limit_note(const Heap& heap) {
  if (!heap.refused) return {};
  return fmt::format(" (the script reached {} MiB, the most one run of JavaScript may allocate: [executor] javascript_heap_mb)",
                     heap.limit >> 20);
}

Heap::~Heap() {
  if (ctx_) duk_destroy_heap(ctx_);
}

std::string error_text(duk_context* ctx, duk_idx_t index) {
  index = duk_normalize_index(ctx, index);
  duk_dup(ctx, index);  // duk_safe_to_string replaces the value it converts
  std::string text = duk_safe_to_string(ctx, -1);
  duk_pop(ctx);
  if (!duk_is_error(ctx, index)) return text;
  duk_get_prop_string(ctx, index, "fileName");
  duk_get_prop_string(ctx, index, "lineNumber");
  // A SyntaxError already says "(line N)"; name the file only then.
  bool has_line = text.find("(line ") != std::string::npos;
  if (duk_is_string(ctx, -2) && duk_is_number(ctx, -1) && has_line) {
    text += " (in " + std::string(duk_get_string(ctx, -2)) + ")";
  } else if (duk_is_string(ctx, -2) && duk_is_number(ctx, -1)) {
    std::string file = duk_get_string(ctx, -2);
    // Errors inside duktape's own functions name its C sources (duk_*.c):
    // only the user's code is worth pointing at.
    bool duktape_source = file.size() > 2 && file.compare(file.size() - 2, 2, ".c") == 0;
    if (!duktape_source)
      text += " (" + file + ":" + std::to_string(static_cast<long long>(duk_get_number(ctx, -1))) + ")";
  }
  duk_pop_2(ctx);
  return text;
}

}  // namespace bora::executor::javascript
