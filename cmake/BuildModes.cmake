# Per-target build modes, applied once every target exists (CMakeLists.txt
# calls bora_build_modes last, as it does bora_precompile_headers).
#
# BORA_UNITY: every target of the project's own code (src/, plugins/, the
# unit tests, the fuzz targets, the workflow case runner) compiles its .cpp
# files in batches of
# BORA_UNITY_BATCH_SIZE, one compiler run a batch (CMake's unity build). A
# whole build then parses and optimises the headers' inline code once a
# batch instead of once a file. Measured on the 2-core machine, clang with
# the sanitizers: 601 s of compiler time for 22 batches' files one by one,
# 430 s as batches (-28%). A one-file change recompiles its batch, so the
# developers' build keeps it OFF; the sanitizer build (make san-test, make
# fuzz: built whole, once, then run) and CI's builds turn it ON.
# What it asks of the code: a name in a file's anonymous namespace is
# unique within its target (a batch is a target's files in their order),
# and a helper several files need lives in a header (core/ascii.h; for the
# tests, e.g. test/unit/storage/temp_db.h's at()). The sanitizer build in
# `make test` is a unity build, so a collision fails CI at once.
option(BORA_UNITY "Compile each product target's files in batches (unity build)" OFF)
set(BORA_UNITY_BATCH_SIZE 8 CACHE STRING "Files per unity batch (BORA_UNITY)")

function(bora_build_modes dir)
  bora_compiled_targets(targets ${dir})
  foreach(t IN LISTS targets)
    get_target_property(type ${t} TYPE)
    get_target_property(src_dir ${t} SOURCE_DIR)
    file(RELATIVE_PATH rel ${PROJECT_SOURCE_DIR} ${src_dir})
    if(BORA_UNITY AND rel MATCHES "^(src|plugins|test/unit|test/fuzz|test/workflows)(/|$)")
      set_target_properties(${t} PROPERTIES UNITY_BUILD ON UNITY_BUILD_BATCH_SIZE ${BORA_UNITY_BATCH_SIZE})
    endif()
    # The sanitizer build compiles the test programs' own code (the unit
    # tests, their Catch2 main, the workflow case runner) without
    # optimisation: it only drives the modules' libraries, which keep -O1,
    # and most of its compile time was the optimiser's over Catch2's
    # expanded assertions. Measured on the 2-core machine (clang,
    # ASan/UBSan, one batch of 8 files): bora_unit_api 39.3 s -> 16.3 s,
    # bora_unit_engine 18.7 s -> 7.7 s. The gcc build keeps the build
    # type's level: there the gain was small (8.3 s -> 5.8 s for a file) and
    # the tests' unoptimised copies of inline code the libraries share
    # (std::string, Value) replaced the libraries' own at link time, which
    # made bora_unit_expr_budget's CPU bounds fail.
    if(BORA_SANITIZE AND (rel MATCHES "^test/(unit|workflows)(/|$)" OR t STREQUAL "bora_catch_main"))
      target_compile_options(${t} PRIVATE -O0)
    endif()
    # The same for the modules that serve requests and wait (the REST API,
    # identity, services, events, the scheduler, telemetry, the catalog,
    # the CLI, the plugins): clang's optimiser was most of their compile
    # time (measured on the 2-core machine: an API batch 22.7 s -> 10.4 s).
    # The modules the engine's every step goes through keep -O1: core,
    # expr, lang, engine, storage, the executor. With storage at -O0 too
    # (its first batch, repository.cpp's 14 Repository<R>, 185 s -> 77 s)
    # the case runner under the sanitizers took half as long again.
    if(BORA_SANITIZE AND rel MATCHES "^(src/(api|identity|services|events|scheduler|telemetry|catalog|cli)|plugins)(/|$)")
      target_compile_options(${t} PRIVATE -O0)
    endif()
    # libFuzzer's coverage instrumentation where the fuzz targets' inputs
    # go: the modules' libraries and the fuzz targets themselves. The unit
    # tests, the case runner and `bora` link without libFuzzer and gain
    # nothing from it (it costs about a sixth of a file's compile time).
    if(BORA_FUZZ AND ((type STREQUAL "STATIC_LIBRARY" AND t MATCHES "^bora_" AND rel MATCHES "^src(/|$)")
                      OR t MATCHES "^fuzz_"))
      target_compile_options(${t} PRIVATE -fsanitize=fuzzer-no-link)
    endif()
  endforeach()
endfunction()
