// core/version: the version of this build, set by CMake from project().
#pragma once

namespace bora {
extern const char* const kVersion;
}
