# The web UI (web/, TypeScript + Vite) built by the normal build and compiled
# into the binary (docs/UI.md):
#   web/package-lock.json -> npm ci              -> web/node_modules
#   web/ sources          -> npm run build       -> <build>/web/dist
#   <build>/web/dist      -> scripts/embed_ui.py -> <build>/src/api/ui_assets.cpp
# Each step runs only when its inputs changed, so a C++-only rebuild never
# runs npm. With BORA_WITH_UI=OFF no Node.js is needed: the binary has no
# files and /ui/ says how it was built.
# Sets BORA_UI_ASSETS_CPP, the generated source for the api module.
option(BORA_WITH_UI "Build the web UI (web/; needs Node.js and npm) into the binary" ON)
find_package(Python3 REQUIRED COMPONENTS Interpreter)

set(BORA_UI_ASSETS_CPP ${CMAKE_CURRENT_BINARY_DIR}/ui_assets.cpp)
set(bora_embed_ui ${PROJECT_SOURCE_DIR}/scripts/embed_ui.py)

if(NOT BORA_WITH_UI)
  add_custom_command(OUTPUT ${BORA_UI_ASSETS_CPP}
    COMMAND ${Python3_EXECUTABLE} ${bora_embed_ui} --without-ui --out ${BORA_UI_ASSETS_CPP}
    DEPENDS ${bora_embed_ui}
    COMMENT "Web UI left out (BORA_WITH_UI=OFF)")
  return()
endif()

find_program(BORA_NPM npm)
if(NOT BORA_NPM)
  message(FATAL_ERROR
    "The web UI (web/) needs Node.js and npm, and npm was not found.\n"
    "Install them (scripts/install-deps.sh does: apt-get install nodejs npm), "
    "or configure with -DBORA_WITH_UI=OFF to build Bora without its web UI.")
endif()

set(bora_web ${PROJECT_SOURCE_DIR}/web)
set(bora_web_dist ${CMAKE_BINARY_DIR}/web/dist)
# npm ci writes node_modules/.package-lock.json: newer than the lock file
# once the packages it names are installed. Every build directory shares
# web/node_modules.
set(bora_web_installed ${bora_web}/node_modules/.package-lock.json)
add_custom_command(OUTPUT ${bora_web_installed}
  COMMAND ${BORA_NPM} ci --no-audit --no-fund --loglevel=error
  WORKING_DIRECTORY ${bora_web}
  DEPENDS ${bora_web}/package.json ${bora_web}/package-lock.json
  COMMENT "Installing the web UI's packages (npm ci in web/)"
  VERBATIM)

file(GLOB_RECURSE bora_web_sources CONFIGURE_DEPENDS ${bora_web}/src/*)
set(bora_web_built ${CMAKE_BINARY_DIR}/web/dist.stamp)
add_custom_command(OUTPUT ${bora_web_built}
  COMMAND ${BORA_NPM} run --silent build -- --outDir ${bora_web_dist} --emptyOutDir --logLevel warn
  COMMAND ${CMAKE_COMMAND} -E touch ${bora_web_built}
  WORKING_DIRECTORY ${bora_web}
  DEPENDS ${bora_web_installed} ${bora_web_sources} ${bora_web}/index.html ${bora_web}/vite.config.ts
          ${bora_web}/tsconfig.json
  COMMENT "Building the web UI (npm run build in web/)"
  VERBATIM)

add_custom_command(OUTPUT ${BORA_UI_ASSETS_CPP}
  COMMAND ${Python3_EXECUTABLE} ${bora_embed_ui} --dist ${bora_web_dist} --out ${BORA_UI_ASSETS_CPP}
  DEPENDS ${bora_web_built} ${bora_embed_ui}
  COMMENT "Embedding the web UI (scripts/embed_ui.py)"
  VERBATIM)
